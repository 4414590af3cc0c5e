import CKernels
import Foundation
import TestSupport
import XCTest

/// Nothing on a path to a results file calls the C library's elementary functions (whose
/// results differ between CPUs and systems), and nothing in CKernels is contracted into a
/// fused multiply-add the source does not write (Docs/math.md, "What is tested where").
final class LibmFreedomTests: XCTestCase {
    /// The C library's elementary functions, by name (with their float, long double and
    /// glibc `__*_finite` forms matched below). fma, sqrt, fabs and copysign are allowed:
    /// IEEE 754 requires them correctly rounded, so they are the same everywhere.
    private static let forbidden = [
        "exp", "exp2", "exp10", "expm1", "log", "log2", "log10", "log1p", "logb", "pow", "pown", "powr",
        "sin", "cos", "tan", "sincos", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
        "asinh", "acosh", "atanh", "cbrt", "hypot", "erf", "erfc", "lgamma", "tgamma",
    ]

    private static func isForbidden(_ symbol: String) -> Bool {
        var name = symbol
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }       // exp@GLIBC_2.29
        if name.hasPrefix("__"), name.hasSuffix("_finite") { name = String(name.dropFirst(2).dropLast(7)) }
        return forbidden.contains { name == $0 || name == $0 + "f" || name == $0 + "l" }
    }

    /// CKernels' object files as this build compiled them.
    private func kernelObjectFiles() throws -> [URL] {
        let build = Repository.file(".build")
        guard let walker = FileManager.default.enumerator(at: build, includingPropertiesForKeys: nil) else { return [] }
        var objects: [URL] = []
        for case let url as URL in walker where url.pathExtension == "o" && url.path.contains("/CKernels.build/") {
            objects.append(url)
        }
        return objects
    }

    func testKernelObjectFilesCallNoElementaryFunctionOfTheCLibrary() throws {
        let objects = try kernelObjectFiles()
        guard !objects.isEmpty else { throw XCTSkip("no CKernels object files under .build (built elsewhere)") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/nm") else {
            throw XCTSkip("nm not found: install binutils")
        }
        XCTAssertTrue(objects.contains { $0.lastPathComponent == "elementary.c.o" }, "elementary.c's object is checked too")
        for object in objects {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nm")
            process.arguments = ["-u", object.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "nm -u \(object.path)")
            let symbols = output.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
            let calls = symbols.filter(Self.isForbidden)
            XCTAssertEqual(calls, [], "\(object.lastPathComponent) calls the C library's \(calls)")
        }
    }

    func testTheSymbolRuleRecognisesTheCLibrarysNames() {
        for symbol in ["exp", "log1p", "pow@GLIBC_2.29", "__exp_finite", "tanhf", "expl"] {
            XCTAssertTrue(Self.isForbidden(symbol), symbol)
        }
        for symbol in ["fma", "sqrt", "nn_exp_value", "memcpy", "exponent", "copysign"] {
            XCTAssertFalse(Self.isForbidden(symbol), symbol)
        }
    }

    /// The Swift sources call no elementary function of the C library (Foundation's `exp`,
    /// `log`, `pow`, ...), except the plot's axis ticks, which reach no results file.
    func testSwiftSourcesCallNoElementaryFunctionOfTheCLibrary() throws {
        let allowed: Set<String> = ["Sources/Results/LossPlot.swift"]
        let names = Self.forbidden.joined(separator: "|")
        let call = try NSRegularExpression(pattern: "(?<![\\w.\\\\])(?:Foundation\\.|Glibc\\.|Darwin\\.)?(\(names))[fl]?\\s*\\(")
        let stringLiteral = try NSRegularExpression(pattern: "\"(?:\\\\.|[^\"\\\\])*\"")
        let sources = Repository.file("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else {
            return XCTFail("cannot list Sources")
        }
        var checked = 0
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = "Sources/" + url.path.dropFirst(sources.path.count + 1)
            if allowed.contains(relative) { continue }
            checked += 1
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var line = String(rawLine)
                line = stringLiteral.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line),
                                                              withTemplate: "\"\"")
                if let comment = line.range(of: "//") { line = String(line[..<comment.lowerBound]) }
                let found = call.matches(in: line, range: NSRange(line.startIndex..., in: line))
                XCTAssertTrue(found.isEmpty, "\(relative):\(number + 1) calls the C library: \(rawLine)")
            }
        }
        XCTAssertGreaterThan(checked, 50, "the Swift sources were found")
    }

    /// a * b + c with a b = 1 - 2^-60: rounded, the product is 1 and the sum 0; fused, -2^-60.
    /// The function is compiled for FMA3, where a contracting compiler (-ffp-contract=fast,
    /// -ffast-math) would fuse it.
    func testCKernelsAreCompiledWithoutContraction() {
        let a = 1 + 0x1p-30, b = 1 - 0x1p-30
        XCTAssertEqual(nn_unfused_multiply_add(a, b, -1), 0)
        XCTAssertEqual(a.addingProduct(b, -1) == 0 ? 1 : 0, 0, "the test's numbers tell fused from unfused")
    }

    /// Every C file of CKernels turns contraction off before its first include (clang
    /// honours the pragma; Package.swift must not override it with flags).
    func testEveryCKernelsFileTurnsContractionOff() throws {
        let folder = Repository.file("Sources/CKernels")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        XCTAssertTrue(files.contains("elementary.c"))
        for file in files where file != "math_tables.h" {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            guard let pragma = text.range(of: "#pragma STDC FP_CONTRACT OFF") else {
                XCTFail("\(file) does not turn floating-point contraction off"); continue
            }
            if let include = text.range(of: "#include") {
                XCTAssertLessThan(pragma.lowerBound, include.lowerBound, "\(file): the pragma comes after an include")
            }
        }
        let manifest = try String(contentsOf: Repository.file("Package.swift"), encoding: .utf8)
        for flag in ["-ffp-contract=fast", "-ffast-math", "-Ofast", "-funsafe-math-optimizations", "-ffp-model=fast"] {
            XCTAssertFalse(manifest.contains(flag), "Package.swift passes \(flag), which lets the compiler contract")
        }
    }
}
