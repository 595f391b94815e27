import AnchorCore
import AnchorStore
import Foundation
import Testing
@testable import AnchorTUI

/// The console, as a reader, says when the journal has a torn tail and changes nothing.
@Suite("Console: a torn journal tail is shown, not hidden")
struct TornTailWarningTests {
    @Test func theStatusLineWarnsOfATornTailAndTheFilesStayAsTheyWere() throws {
        let directory = try TUIFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = URL(fileURLWithPath: directory + "/journal.jsonl")
        let torn = Data("{\"length\":900,\"crc32c\":\"00".utf8)
        try torn.write(to: journal)
        let service = DiskStoreService(directory: directory, readOnly: true, demoData: nil)
        guard case .loaded(let estate, _, let warning) = service.load() else { Issue.record("not loaded"); return }
        // One status row: the file, the byte offset, and what the next write does, in the short form.
        #expect(warning == "journal.jsonl byte 0: unfinished record left out; the next write cuts it", "\(String(describing: warning))")
        #expect(try Data(contentsOf: journal) == torn, "the reader cut nothing")

        var state = AppState(storePath: directory)
        _ = Update.update(&state, .loaded(.loaded(estate, notice: nil, warning: warning)))
        #expect(state.status?.level == .warning)
        #expect(state.status?.text.contains("the next write cuts it") == true)
        #expect((state.status?.text.count ?? 0) <= 78, "fits the status line at 80 columns")
    }
}
