import Diagnostics
import Planning
import Spec
import Validation
import YAMLSource

/// libFuzzer entry point: any bytes as a spec file, through loading, decoding,
/// validation, diagnostic rendering and (for valid specs) planning. A trap, a crash or
/// a sanitizer report is a finding; diagnostics are the expected outcome.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let (spec, decoded) = SpecFile.decode(bytes)
    var diagnostics = decoded
    if let spec {
        let validation = Validator.validate(spec, decodingDiagnostics: decoded) { _ in
            Array("a,b,c\n1,2,3\n".utf8)   // any CSV path reads this small table
        }
        diagnostics += validation.diagnostics
        if let valid = validation.spec, decoded.isEmpty, valid.training.steps <= 1_000_000 {
            _ = Planner.plan(valid)
        }
    }
    _ = DiagnosticRenderer(fileName: "fuzz.yaml", source: String(decoding: bytes, as: UTF8.self)).render(diagnostics)
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
