import AnchorCore
import AnchorService
import AnchorStore
import Crypto
import Foundation
import Testing
@testable import AnchorTUI

/// The launcher's two guards (issue 27, cases 7 and 8): a counter or floor that jumps far ahead
/// is sent only once its value is typed out again, and the dry run foresees the device refusing
/// a signature by a key that does not match the certificate in the cell.
@Suite("Console: counter jumps and the keys really held")
struct LauncherSafetyTests {
    private func handBack(counter: String = "", newFloor: String = "") throws -> LauncherForm {
        let device = try #require(TUIFixture.demo.devices[TUIFixture.nationalGridDevice])
        var form = LauncherForm(RequestDraft.defaults(for: .updateSecurityCredentials, device: device, ledger: TUIFixture.demo.ledger, legacy: false))
        form.counter = TextField(counter)
        form.newFloor = TextField(newFloor)
        return form
    }

    @Test func aCounterThatBurnsTheRestIsSentOnlyOnceItIsTypedOutAgain() throws {
        var state = TUIFixture.state()
        state.modal = .launcher(try handBack(counter: "18446744073709551615"))
        TUIFixture.press([.enter], &state)
        guard case .confirm(let confirmation) = state.modal else { Issue.record("no confirmation: \(String(describing: state.modal))"); return }
        let jump = try #require(confirmation.jump)
        #expect(jump.value == OriginatorCounter(UInt64.max))
        #expect(jump.burned == UInt64.max - (TUIFixture.demo.ledger.organisation("national-grid")!.lastCounter.value + 1))
        #expect(confirmation.preview.lines.contains { $0.label == "JUMP" && $0.value.contains("counters would be burned for good") })
        TUIFixture.press([.tab], &state)
        #expect(!TUIFixture.press([.enter], &state).contains { if case .submit = $0 { true } else { false } }, "sent without the typed value")
        #expect(state.status?.text.contains("type 18446744073709551615") == true)
        TUIFixture.press(TUIFixture.type("18446744073709551614"), &state)
        #expect(!TUIFixture.press([.enter], &state).contains { if case .submit = $0 { true } else { false } }, "sent with another value typed")
        TUIFixture.press(Array(repeating: Key.backspace, count: 20) + TUIFixture.type("18446744073709551615"), &state)
        let effects = TUIFixture.press([.enter], &state)
        #expect(effects.contains { if case .submit(let draft) = $0 { draft.counter == OriginatorCounter(UInt64.max) } else { false } })
    }

    @Test func anOrdinaryCounterOrATimeBasedOneAFewYearsAheadNeedsNoTyping() throws {
        for counter in ["", "1647302400000099", "1893456000000000"] {
            var state = TUIFixture.state()
            state.modal = .launcher(try handBack(counter: counter))
            TUIFixture.press([.enter, .tab], &state)
            let effects = TUIFixture.press([.enter], &state)
            #expect(effects.contains { if case .submit = $0 { true } else { false } }, "counter '\(counter)'")
        }
    }

    @Test func aFloorJumpAsksTooAndARecoveryFloorJumpIsLeftToTheCommandLine() throws {
        var state = TUIFixture.state()
        state.modal = .launcher(try handBack(newFloor: "9223372036854775808"))
        TUIFixture.press([.enter], &state)
        guard case .confirm(let confirmation) = state.modal else { Issue.record("no confirmation"); return }
        #expect(confirmation.jump?.field == "new floor")
        var form = RecoveryForm(filter: "no=national-grid")
        form.reason = TextField("test")
        form.newFloor = TextField("9223372036854775808")
        #expect(throws: RequestError.self) { try form.preview(TUIFixture.demo) }
        form.newFloor = TextField("0")
        #expect(throws: Never.self) { try form.preview(TUIFixture.demo) }
    }

    /// A key folder another store's `init` refilled (here: one User's key replaced): the dry run
    /// now foresees the refusal the device then gives.
    @Test func theDryRunForeseesTheDeviceRefusingAKeyThatIsNotTheCellsCertificates() throws {
        let directory = try TUIFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = DiskStoreService(directory: directory, readOnly: false, demoData: nil, clock: .fixed(TUIFixture.now))
        guard case .loaded(let estate, _, _) = service.load() else { Issue.record("not loaded"); return }
        _ = try CredentialVault(storeDirectory: directory).credentials(for: estate.ledger, validFrom: Date(timeIntervalSince1970: 1_600_000_000))
        let draft = try handBack().draft()
        let matching = try #require(service.signingKeys(for: estate.ledger))
        #expect(try RequestPreview.make(draft, estate: estate, glyphs: .unicode, keys: matching).expectedOutcome == .succeeded)

        let nationalGrid = try #require(estate.ledger.organisation("national-grid"))
        let keyFile = UserKeyDirectory(path: directory + "/" + UserKeyDirectory.demoFolderName).keyPath(nationalGrid.entityId, .digitalSigning)
        try FileManager.default.removeItem(atPath: keyFile)
        FileManager.default.createFile(atPath: keyFile, contents: Data(P256.Signing.PrivateKey().pemRepresentation.utf8),
                                       attributes: [.posixPermissions: 0o600])
        let replaced = try #require(service.signingKeys(for: estate.ledger))
        let preview = try RequestPreview.make(draft, estate: estate, glyphs: .unicode, keys: replaced)
        #expect(preview.expectedOutcome == .rejected)
        #expect(preview.expectedReason == .notAuthorised)
        #expect(preview.lines.contains { $0.label == "dry run" && $0.value.contains("national-grid's signing key") })
        guard case .processed(let record, _) = service.submit(draft) else { Issue.record("not processed"); return }
        #expect(record.outcome == .rejected && record.reason == .notAuthorised, "the device refused as foreseen: \(record.detail)")
    }

    @Test func openingTheLauncherAsksForTheKeysHeld() throws {
        var state = TUIFixture.state()
        state.devicesCursor.selected = try #require(state.deviceRows.firstIndex { TUIFixture.demo.devices[Int($0)].id == TUIFixture.nationalGridDevice })
        #expect(TUIFixture.press([.character("r")], &state).contains(.checkSigningKeys))
    }
}
