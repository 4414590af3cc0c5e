// swift-tools-version:6.0
import PackageDescription

// A libFuzzer target for the pipeline's YAML -> spec -> validation -> plan path. Built and run by
// Tests/Fuzz/run (it needs -sanitize=fuzzer, which the main package does not use).
let package = Package(
    name: "nnrun-fuzz",
    dependencies: [.package(name: "nnrun", path: "../..")],
    targets: [
        .executableTarget(
            name: "FuzzSpec",
            dependencies: [.product(name: "Pipeline", package: "nnrun")]
        ),
    ]
)
