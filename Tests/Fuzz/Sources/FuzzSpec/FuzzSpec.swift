import Pipeline

/// libFuzzer entry point: any bytes as a spec file, through the pipeline every command
/// uses (loading, decoding, validation, and for a valid spec planning), and diagnostic
/// rendering. A trap, a crash or a sanitizer report is a finding; diagnostics are the
/// expected outcome.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let compilation = SpecCompilation(path: "fuzz.yaml", bytes: bytes) { _ in
        Array("a,b,c\n1,2,3\n".utf8)   // any data file reads as this small table
    }
    // Planned only under a small memory limit: a valid spec may ask for any size of run.
    _ = try? PlannedSpec(compilation, memoryLimit: 64 << 20)
    _ = compilation.renderedDiagnostics
    return 0
}

// SwiftPM links an executable target's entry point as `FuzzSpec_main`; hand control to
// libFuzzer's driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzSpec_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}
