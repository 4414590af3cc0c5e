import ArgumentParser
import Pipeline

/// `nnrun compile SPEC --target pytorch -o train.py`: the spec as a standalone program of
/// another framework that reproduces its run (Docs/pytorch.md).
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a spec to a standalone PyTorch script that reproduces its run (Docs/pytorch.md).")

    /// The frameworks a spec compiles to.
    enum Target: String, ExpressibleByArgument, CaseIterable {
        case pytorch
    }

    @Argument(help: "The spec file.", completion: .specFile)
    var spec: String

    @Option(help: "What to compile to.")
    var target: Target

    @Option(name: .shortAndLong, help: "The script to write (a large network's initial parameters go beside it as NAME.initial.npy).")
    var output: String

    @OptionGroup var overrides: Overrides

    @OptionGroup var memory: MemoryLimit

    func run() throws {
        let written = try PyTorchCompilation.write(spec: spec, overrides: overrides.list, to: output, memoryLimit: memory.bytes) { $0.printWarnings() }
        Terminal.error("wrote " + written.joined(separator: ", "))
    }
}
