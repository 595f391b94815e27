import AnchorTUI
import Foundation
import Testing

/// Compares rendered screens with text files under `Snapshots/`.
///
/// Re-record with `ANCHORDESK_RECORD_SNAPSHOTS=1 swift test --filter AnchorTUITests`, then
/// read the diff before committing it.
enum Snapshot {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func expect(_ buffer: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = buffer.lines.joined(separator: "\n") + "\n"
        let file = folder.appendingPathComponent(name + ".txt")
        let recording = ProcessInfo.processInfo.environment["ANCHORDESK_RECORD_SNAPSHOTS"] == "1"
        guard !recording, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? text.write(to: file, atomically: true, encoding: .utf8)
            if !recording {
                Issue.record("no snapshot \(name).txt; recorded it now: check it and run again", sourceLocation: sourceLocation)
            }
            return
        }
        if expected != text {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            var differences: [String] = []
            for index in 0..<max(expectedLines.count, actualLines.count) {
                let want = index < expectedLines.count ? String(expectedLines[index]) : "<none>"
                let got = index < actualLines.count ? String(actualLines[index]) : "<none>"
                if want != got { differences.append("row \(index):\n  expected |\(want)|\n  actual   |\(got)|") }
            }
            let message = "snapshot \(name) differs (ANCHORDESK_RECORD_SNAPSHOTS=1 re-records):\n" + differences.joined(separator: "\n")
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}
