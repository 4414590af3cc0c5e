// swift-tools-version:6.0
import PackageDescription

// One target per compiler phase; each depends only on earlier phases:
// YAMLSource -> Spec -> Validation -> Planning -> Running -> Results / Explain -> Pipeline -> NnrunCommands.
// Pipeline drives the phases (compile, plan, run, sweep, read and write files); NnrunCommands
// declares the arguments, prints and maps failures to exit statuses.
let package = Package(
    name: "nnrun",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nnrun", targets: ["nnrun"]),
        // The pipeline every command drives, for the fuzzer (Tests/Fuzz) and other tools.
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // The runtime only: the ONNX message code is generated once and committed (Sources/ONNX).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // The matrix-product kernels: C, so that AVX2/FMA code can be compiled per function
        // (target attributes) and chosen at run time; Swift here compiles for baseline x86-64.
        .target(name: "CKernels", linkerSettings: [.linkedLibrary("m")]),
        .target(name: "Diagnostics"),
        .target(name: "YAMLSource", dependencies: ["CYAML", "Diagnostics"]),
        .target(name: "Spec", dependencies: ["YAMLSource", "Diagnostics"]),
        // The data file formats (CSV, .npy, .npz): parsing only; Validation applies the rules.
        .target(name: "DataFiles", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Validation holds nnrun's random generator (RandomSource: a seeded split draws from it;
        // Planning and Running draw initial weights and shuffles), whose normals use CKernels' log.
        .target(name: "Validation", dependencies: ["Spec", "Diagnostics", "DataFiles", "CKernels"]),
        .target(name: "Planning", dependencies: ["Validation", "CKernels"]),
        .target(name: "Running", dependencies: ["Planning", "Validation", "Diagnostics", "CKernels"]),
        .target(name: "Results", dependencies: ["CKernels", "Running", "Checks", "Spec"]),
        .target(name: "Explain", dependencies: ["CKernels", "Running"]),
        .target(name: "Checks", dependencies: ["Running", "Planning", "Validation"]),
        .target(name: "Sweeps", dependencies: ["YAMLSource", "Diagnostics"]),
        // `nnrun compile --target pytorch`: a plan as a standalone PyTorch script.
        .target(name: "PyTorchTarget", dependencies: ["Planning", "Validation", "Spec", "Results"]),
        // ONNX's model format (the part nnrun writes, onnx.proto) and the graph of a network.
        .target(name: "ONNX", dependencies: [
            "Running", "Planning", "Spec", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["onnx.proto"]),
        .target(name: "Pipeline", dependencies: [
            "CKernels", "Diagnostics", "YAMLSource", "Spec", "Validation", "Planning", "Running", "Results", "Checks", "Sweeps",
            "ONNX", "PyTorchTarget", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "NnrunCommands", dependencies: [
            "Pipeline", "Diagnostics", "Validation", "Planning", "Running", "Results", "Explain", "Checks", "Sweeps", "ONNX",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nnrun", dependencies: [
            "NnrunCommands", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .target(name: "TestSupport", dependencies: ["Pipeline", "Sweeps", "Validation", "Planning", "Running", "Results"],
                path: "Tests/TestSupport"),
        .testTarget(name: "YAMLSourceTests", dependencies: ["YAMLSource", "TestSupport"]),
        .testTarget(name: "ValidationTests", dependencies: ["Pipeline", "DataFiles", "Results", "TestSupport"], exclude: ["BadSpecs", "BadSweeps", "Hostile", "Npy"]),
        .testTarget(name: "KernelTests", dependencies: ["CKernels", "Running", "Planning", "Validation", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "RunningTests", dependencies: ["CKernels", "Spec", "Validation", "Planning", "Running", "Checks", "TestSupport"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "Running", "Pipeline", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Sweeps", "Diagnostics", "YAMLSource", "Planning", "Results", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "InteropTests", dependencies: ["Pipeline", "ONNX", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PyTorchTargetTests", dependencies: ["TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ExplainTests", dependencies: ["TestSupport"], exclude: ["Golden", "TeX"]),
    ]
)
