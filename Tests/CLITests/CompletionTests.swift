import Foundation
import TestSupport
import XCTest

/// `nnrun --generate-completion-script SHELL`: each shell's completion, run for real on
/// command lines typed in a folder holding a spec (a.yaml, b.yml), a results file
/// (c.json), another file (d.txt) and folders (specs/ with tutorial.yaml, sub/). What is
/// expected follows from Docs/cli.md: spec arguments complete YAML files and folders,
/// results arguments JSON files and folders, output paths any file, and a line that names
/// no subcommand completes as `run` (and, at its first word, as a subcommand too).
final class CompletionTests: XCTestCase {
    /// Where the user types, and where the test keeps the scripts (apart, so that they are not candidates).
    private var folder: URL!, harness: URL!

    override func setUpWithError() throws {
        folder = try NnrunProcess.temporaryFolder()
        harness = try NnrunProcess.temporaryFolder()
        for file in ["a.yaml", "b.yml", "c.json", "d.txt", "specs/tutorial.yaml", "sub/.keep"] {
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.removeItem(at: harness)
    }

    private static let subcommands: Set = ["run", "validate", "plan", "explain", "check", "diff", "schema", "gradcheck",
                                           "sweep", "plot", "draw", "bench", "export", "predict", "upgrade", "compile", "help"]
    private static let specs: Set = ["a.yaml", "b.yml", "specs", "sub"]
    private static let results: Set = ["c.json", "specs", "sub"]
    private static let anyFile: Set = ["a.yaml", "b.yml", "c.json", "d.txt", "specs", "sub"]

    /// Command lines (the last word is the one being completed) and the candidates expected.
    private static let cases: [(line: [String], expected: Set<String>)] = [
        (["nnrun", ""], subcommands.union(specs)),
        (["nnrun", "run", ""], specs),
        (["nnrun", "a.yaml", "-o", ""], anyFile),
        (["nnrun", "a.yaml", "--plot-l"], ["--plot-log"]),
        (["nnrun", "va"], ["validate"]),
        (["nnrun", "validate", "a.yaml", ""], specs),
        (["nnrun", "explain", "a.yaml", "-o", ""], anyFile),
        (["nnrun", "check", "--golden", ""], results),
        (["nnrun", "diff", ""], results),
        (["nnrun", "plot", "c.json", ""], results),
        (["nnrun", "export", "a.yaml", "--results", ""], results),
        (["nnrun", "sweep", ""], specs.union(["run", "merge"])),
        (["nnrun", "sweep", "merge", ""], ["specs", "sub"]),
    ]

    private func script(_ shell: String) throws -> String {
        let output = try NnrunProcess.run(["--generate-completion-script", shell])
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }

    /// The shell's executable, or a skip naming the package to install.
    private func shell(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw missingTool("\(name) is not installed: install it (apt-get install \(name)) to test its completion script")
    }

    /// The candidates printed one a line (fish: candidate, tab, description). Folders may
    /// come with a trailing slash (fish). Options are left out unless the word being
    /// completed starts with '-': shells differ on offering them for an empty word.
    private func candidates(_ output: NnrunProcess.Output, for line: [String]) -> Set<String> {
        let options = line.last?.hasPrefix("-") == true
        return Set(output.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
            .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty && (options || !$0.hasPrefix("-")) })
    }

    func testBashCompletesSpecsResultsOutputsAndTheDefaultSubcommand() throws {
        let bash = try shell("bash")
        let installed = harness.appendingPathComponent("nnrun.bash"), driverFile = harness.appendingPathComponent("driver.bash")
        try script("bash").write(to: installed, atomically: true, encoding: .utf8)
        for (line, expected) in Self.cases {
            // What bash's programmable completion does on TAB: set COMP_* and call the registered function.
            let words = line.map { "'\($0)'" }.joined(separator: " ")
            let driver = """
                source '\(installed.path)'
                COMP_WORDS=(\(words)); COMP_CWORD=\(line.count - 1); COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
                COMPREPLY=()
                function=$(complete -p nnrun | sed -E 's/.* -F ([^ ]+) .*/\\1/')
                "$function" nnrun "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            try driver.write(to: driverFile, atomically: true, encoding: .utf8)
            let output = try NnrunProcess.run([driverFile.path], in: folder, executable: bash)
            XCTAssertEqual(output.stderr, "", line.joined(separator: " "))
            XCTAssertEqual(candidates(output, for: line), expected, line.joined(separator: " "))
        }
        // A partial path completes inside the folder.
        try "source '\(installed.path)'\nCOMP_WORDS=(nnrun specs/tu); COMP_CWORD=1; COMPREPLY=(); _nnrun_with_default_subcommands nnrun specs/tu nnrun; printf '%s\\n' \"${COMPREPLY[@]}\""
            .write(to: driverFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(candidates(try NnrunProcess.run([driverFile.path], in: folder, executable: bash), for: ["specs/tu"]), ["specs/tutorial.yaml"])
    }

    func testZshCompletesSpecsResultsOutputsAndTheDefaultSubcommand() throws {
        let zsh = try shell("zsh")
        let functions = harness.appendingPathComponent("functions")
        try FileManager.default.createDirectory(at: functions, withIntermediateDirectories: true)
        try script("zsh").write(to: functions.appendingPathComponent("_nnrun"), atomically: true, encoding: .utf8)
        // An interactive zsh on a pseudo-terminal, the script autoloaded from fpath as an
        // installed one is; ^T runs the completion and prints what it offered (compadd's
        // matches) between two markers made at run time, so the echoed input cannot match them.
        let capture = #"""
            zmodload zsh/zpty
            zpty z zsh -f -i
            zpty -w z "PS1='' RPROMPT=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
            zpty -w z 'hits=(); compadd() { local -a found; builtin compadd -O found "$@"; hits+=("${found[@]}"); builtin compadd "$@" }'
            zpty -w z 'capture() { hits=(); zle complete-word; print -rl -- "" "BEGIN_$((6*7))" "${(@u)hits}" "END_$((6*7))" > /dev/tty }; zle -N capture; bindkey "^T" capture'
            zpty -w z "zstyle ':completion:*' menu no; cd ${(q)2}"
            zpty -w -n z "$3"$'\x14'
            local out='' chunk
            local -i waited=0
            while (( waited < 600 )); do
                if zpty -r -t z chunk; then out+=$chunk; else sleep 0.05; (( waited++ )); fi
                [[ $out == *END_42* ]] && break
            done
            zpty -d z
            print -r -- "${${out##*BEGIN_42}%%END_42*}" | tr -d '\r'
            """#
        let captureFile = harness.appendingPathComponent("capture.zsh")
        try capture.write(to: captureFile, atomically: true, encoding: .utf8)
        for (line, expected) in Self.cases + [(["nnrun", "specs/tu"], ["specs", "tutorial.yaml"])] {
            let output = try NnrunProcess.run([captureFile.path, functions.path, folder.path, line.joined(separator: " ")],
                                              in: folder, executable: zsh)
            XCTAssertEqual(candidates(output, for: line), expected, line.joined(separator: " ") + "\n" + output.stderr)
        }
    }

    func testFishCompletesSpecsResultsOutputsAndTheDefaultSubcommand() throws {
        let fish = try shell("fish")
        let installed = harness.appendingPathComponent("nnrun.fish")
        try script("fish").write(to: installed, atomically: true, encoding: .utf8)
        for (line, expected) in Self.cases + [(["nnrun", "specs/tu"], ["specs/tutorial.yaml"])] {
            // `complete -C LINE` prints what fish offers on TAB after LINE.
            let output = try NnrunProcess.run(["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", installed.path, line.joined(separator: " ")],
                                              in: folder, executable: fish)
            XCTAssertEqual(output.stderr, "", line.joined(separator: " "))
            XCTAssertEqual(candidates(output, for: line), expected, line.joined(separator: " "))
        }
    }

    func testTheScriptsNameTheShellsTheyAreFor() throws {
        XCTAssertTrue(try script("bash").hasPrefix("#!/bin/bash"))
        XCTAssertTrue(try script("zsh").hasPrefix("#compdef nnrun\n"))
        XCTAssertTrue(try script("fish").contains("complete -c 'nnrun'"))
        XCTAssertEqual(try NnrunProcess.run(["--generate-completion-script", "tcsh"]).status, 64, "an unknown shell is a usage error")
    }
}
