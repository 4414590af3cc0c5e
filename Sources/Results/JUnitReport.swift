/// A JUnit XML report, the format CI systems display: one <testsuite> per spec, one
/// <testcase> per check, a <failure> with the check's line for each failing one, a
/// <skipped> with its line for each case that checked nothing. No timestamps or timings, so
/// the same run gives the same report.
public struct JUnitReport: Sendable {
    public struct Case: Sendable {
        public var name: String
        /// The check's one-line report; it is the failure's (or the skip's) text.
        public var line: String
        public var passed: Bool
        /// Neither passed nor failed: nothing was checked (a spec without checks).
        public var skipped: Bool
        /// A failure's full text when it is more than `line`: an invalid spec's diagnostics,
        /// as the terminal shows them (each `file:line:col: error[ID]: ...` with its source
        /// line and fix), so that CI shows why without the log.
        public var details: String?

        public init(name: String, line: String, passed: Bool, skipped: Bool = false, details: String? = nil) {
            self.name = name
            self.line = line
            self.passed = passed
            self.skipped = skipped
            self.details = details
        }

        var failed: Bool { !passed && !skipped }
    }

    public struct Suite: Sendable {
        public var name: String
        public var cases: [Case]

        public init(name: String, cases: [Case]) {
            self.name = name
            self.cases = cases
        }
    }

    public var suites: [Suite]

    public init(suites: [Suite]) { self.suites = suites }

    public var xml: String {
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter(\.failed).count }
        let skipped = suites.reduce(0) { $0 + $1.cases.filter(\.skipped).count }
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<testsuites name=\"nnrun check\" tests=\"\(tests)\" failures=\"\(failures)\"\(Self.skippedAttribute(skipped))>"]
        for suite in suites {
            let suiteFailures = suite.cases.filter(\.failed).count
            let suiteSkipped = suite.cases.filter(\.skipped).count
            lines.append("  <testsuite name=\"\(Self.escape(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(suiteFailures)\"\(Self.skippedAttribute(suiteSkipped))>")
            for test in suite.cases {
                let open = "    <testcase classname=\"\(Self.escape(suite.name))\" name=\"\(Self.escape(test.name))\""
                if test.skipped {
                    lines.append(open + ">")
                    lines.append("      <skipped message=\"\(Self.escape(test.line))\"/>")
                    lines.append("    </testcase>")
                } else if test.passed {
                    lines.append(open + "/>")
                } else {
                    lines.append(open + ">")
                    lines.append("      <failure message=\"\(Self.escape(test.line))\">\(Self.escape(test.details ?? test.line))</failure>")
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// ` skipped="N"` when N > 0: reports without skipped cases stay as they were.
    private static func skippedAttribute(_ count: Int) -> String {
        count > 0 ? " skipped=\"\(count)\"" : ""
    }

    /// XML text and attribute escaping; control characters XML 1.0 cannot carry become spaces.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: escaped += " "
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
