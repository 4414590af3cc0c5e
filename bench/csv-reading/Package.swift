// swift-tools-version:6.0
import PackageDescription

// The CSV readers measured side by side by bench/csv-reading.py: SwiftCSV (as nnrun used it
// before, and used as well as its API allows), yaslab/CSV.swift, and nnrun's own CSVFile.
// A separate package so that nnrun itself does not depend on the libraries it is compared with.
let package = Package(
    name: "csv-reading",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        // nnrun's Sources/DataFiles, through the symbolic link Sources/DataFiles.
        .target(name: "DataFiles", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .executableTarget(name: "csv-readers", dependencies: [
            "DataFiles",
            .product(name: "SwiftCSV", package: "SwiftCSV"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),
    ]
)
