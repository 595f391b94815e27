import AnchorCore
import AnchorStore
import Foundation
import Testing
@testable import AnchorTUI

/// The console's first run creates its store from the demo data built into the executable.
@Suite("Console: first run from the built-in demo data")
struct FirstRunTests {
    @Test func aMissingStoreIsCreatedFromTheBuiltInDemoData() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-first-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = DiskStoreService(directory: directory, readOnly: false, demoData: .embedded)
        guard case .loaded(let estate, let notice, nil) = service.load() else { Issue.record("not loaded"); return }
        #expect(estate.devices.count == 221)
        #expect(notice == "First run: created this store from the demo data built into anchordesk (221 devices)")
        let readOnly = DiskStoreService(directory: directory + "-absent", readOnly: true, demoData: .embedded)
        guard case .failed(let reason) = readOnly.load() else { Issue.record("a read-only console created a store"); return }
        #expect(reason.contains("--read-only does not create one"))
    }
}
