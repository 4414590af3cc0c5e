import Foundation
import ArgumentParser
import Planning

/// `--max-memory SIZE`: the estimated memory above which a run is refused before
/// anything is allocated. SIZE is bytes, or a number with K, M, G, T (powers of 1024,
/// `KiB`... and `KB`... accepted alike).
struct MemoryLimit: ParsableArguments {
    @Option(help: ArgumentHelp("Refuse to run when the estimated memory exceeds this (e.g. 512M, 8G).", valueName: "size"))
    var maxMemory: ByteCount = ByteCount(bytes: 4 << 30)

    /// The limit in bytes (the pipeline checks a plan's estimate against it: `MemoryEstimate.check`).
    var bytes: Int { maxMemory.bytes }
}

struct ByteCount: ExpressibleByArgument {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.uppercased().replacingOccurrences(of: "IB", with: "").replacingOccurrences(of: "B", with: "")
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var multiplier = 1
        var digits = Substring(text)
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value >= 0, value * Double(multiplier) < 9e18 else { return nil }
        bytes = Int(value * Double(multiplier))
    }

    var defaultValueDescription: String { MemoryEstimate.bytes(bytes) }
}
