import Diagnostics

/// The catalogue of `extends`' messages (IDs NN005x for reading the base files, NN2103 for the key).
extension DiagnosticMessage {
    static func extendsNotAPath(found: String) -> Self {
        .init(.extendsNotAPath, "expected the path of a base spec after 'extends', found \(found)",
              fix: "write e.g. 'extends: base.yaml' (relative to this file's folder)")
    }

    static func extendsUnreadable(_ path: String, reason: String) -> Self {
        .init(.extendsUnreadable, "cannot read the base spec '\(path)': \(reason)",
              fix: "check the path: it is relative to the folder of the file that writes 'extends'")
    }

    static func extendsCycle(chain: String) -> Self {
        .init(.extendsCycle, "the specs extend each other in a cycle: \(chain)",
              fix: "remove 'extends' from one of the files of the cycle")
    }

    static func extendsTooLong(limit: Int) -> Self {
        .init(.extendsTooLong, "the chain of 'extends' is longer than \(limit) files",
              fix: "merge some of the base files")
    }
}
