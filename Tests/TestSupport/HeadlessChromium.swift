import Foundation

/// Debian's `chromium` in headless mode, for the tests that check pages in a real browser.
///
/// Each call starts one browser with its own profile folder, waits for it (at most
/// `timeout` seconds, then stops it by its process id) and returns what it printed.
/// Console messages reach standard error through `--enable-logging=stderr --v=0` as
/// lines holding `CONSOLE`; `--dump-dom` prints the DOM after the page's scripts ran.
public enum HeadlessChromium {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        /// The console messages the page produced (errors, warnings and logs alike).
        public var consoleMessages: [String] {
            stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        }
    }

    /// The executable, or a `missingTool` error saying how to install it.
    public static func executable() throws -> URL {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("chromium")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw missingTool("these tests render pages in headless Chromium: apt-get install -y chromium")
    }

    /// Headless windows are at least this wide (checked with Chromium 156: a narrower
    /// --window-size still lays pages out 500 px wide), so a phone's width is had by
    /// framing the page (`framed`).
    public static let minimumWindowWidth = 500

    /// The DOM of `page` after loading it in a window `width` × `height` CSS pixels, and
    /// after its messages were delivered (virtual time runs on for 5 s of timers).
    /// With `dark`, the browser reports `prefers-color-scheme: dark` (`--force-dark-mode`).
    public static func dumpDOM(_ page: URL, width: Int = minimumWindowWidth, height: Int = 900, dark: Bool = false) throws -> Output {
        try run(["--window-size=\(width),\(height)", "--virtual-time-budget=5000"] + (dark ? ["--force-dark-mode"] : [])
                + ["--dump-dom", page.absoluteString])
    }

    /// A PNG of `page` in a window `width` × `height`.
    public static func screenshot(_ page: URL, to png: URL, width: Int, height: Int) throws -> Output {
        try run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--virtual-time-budget=5000",
                 "--screenshot=\(png.path)", page.absoluteString])
    }

    /// A page beside `page` that shows it in a frame `width` × `height` (a phone's screen),
    /// centred in a window of `minimumWindowWidth`. Messages the framed page posts to
    /// its parent are written on the frame page's <body> as `data-KEY` attributes, where
    /// `dumpDOM` reads them.
    public static func framed(_ page: URL, width: Int, height: Int) throws -> URL {
        let frame = page.deletingLastPathComponent().appendingPathComponent("frame-\(page.lastPathComponent)")
        let margin = max(0, (minimumWindowWidth - width) / 2)
        try """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>frame</title></head>
            <body style="margin: 0; background: #d9d9d9;">
            <iframe src="\(page.lastPathComponent)" width="\(width)" height="\(height)" style="display: block; border: 0; margin: 0 \(margin)px;"></iframe>
            <script>addEventListener("message", e => { for (const k in e.data) document.body.setAttribute("data-" + k, String(e.data[k])); });</script>
            </body></html>
            """.write(to: frame, atomically: true, encoding: .utf8)
        return frame
    }

    private static func run(_ arguments: [String], timeout: TimeInterval = 90) throws -> Output {
        let scratch = try NnrunProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ran = try NnrunProcess.run(
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--user-data-dir=\(scratch.appendingPathComponent("profile").path)", "--enable-logging=stderr", "--v=0"] + arguments,
            executable: try executable(), timeout: timeout)
        return Output(status: ran.status, stdout: ran.stdout, stderr: ran.stderr)
    }
}
