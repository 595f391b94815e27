import AnchorCore
import AnchorStore
import ArgumentParser

/// `anchordesk store check|compact`: the store's own maintenance.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Check, compact, copy or migrate the store.",
        subcommands: [Check.self, Compact.self, StoreCopyCommand.self, StoreMigrateCommand.self])

    /// Verifies every file and reference without changing anything.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the snapshot, its log and device indexes, the journal's framing and sequence, every reference and the audit chain; change nothing.",
            discussion: "Exit 0 when everything checks; exit 3 naming the file and byte offset of the first problem.")

        @OptionGroup var options: CommonOptions

        func run() throws {
            let store = try options.openForReading()
            let estate = store.estate
            // The index first: every check after it reads the log through it.
            let index: SnapshotIndexCheck.Finding
            do {
                index = try options.withFilesToCheck(SnapshotIndexCheck.check(directory:))
            } catch let error as StoreError {
                throw CLIFailure(error)
            }
            if index == .wrong {
                throw CLIFailure(exitCode: .storeUnusable, code: "store-corrupt",
                                 message: "snapshot.index names the snapshot's log but does not match it; delete it and the next open makes it again")
            }
            let deviceIndex: SnapshotDeviceIndexCheck.Finding
            do {
                deviceIndex = try options.withFilesToCheck(SnapshotDeviceIndexCheck.check(directory:))
            } catch let error as StoreError {
                throw CLIFailure(error)
            }
            if deviceIndex == .wrong {
                throw CLIFailure(exitCode: .storeUnusable, code: "store-corrupt",
                                 message: "snapshot.devices names the snapshot's body but does not match it; delete it and the next writer makes it again")
            }
            do {
                try estate.validate()
            } catch {
                throw CLIFailure(exitCode: .storeUnusable, code: "store-corrupt", message: "references: \(error.description)")
            }
            let audit: AuditVerifier.Report
            do {
                audit = try options.withFilesToCheck(AuditVerifier.verify(directory:))
            } catch let failure as AuditFailure {
                throw CLIFailure(exitCode: .storeUnusable, code: "audit-broken", message: Presentation.safe(failure.description))
            } catch let error as StoreError {
                throw CLIFailure(error)
            }
            let tornNote = store.ignoredTornTailBytes > 0
                ? "; an unfinished last record of \(store.ignoredTornTailBytes) bytes will be cut by the next writer" : ""
            options.emit(.object([
                ("ok", .bool(true)),
                ("snapshotBytes", .integer(store.snapshotSize)),
                ("journalRecords", .integer(store.replayedRecords)),
                ("journalBytes", .integer(store.journalSize)),
                ("tornTailBytes", .integer(store.ignoredTornTailBytes)),
                ("organisations", .integer(estate.ledger.organisations.count)),
                ("certificates", .integer(estate.ledger.certificates.count)),
                ("devices", .integer(estate.devices.count)),
                ("requests", .integer(estate.ledger.requests.count)),
                ("recordedCounters", .integer(estate.ledger.recordedCounters.count)),
                ("auditEntries", .integer(audit.entries)),
                ("logIndex", .string(Self.describe(index).state)),
                ("deviceIndex", .string(Self.describe(deviceIndex).state)),
            ]), human: {
                [
                    "snapshot.json  ok  \(store.snapshotSize) bytes, CRC-32C and schema verified",
                    "snapshot.index \(Self.describe(index).line)",
                    "snapshot.devices \(Self.describe(deviceIndex).line)",
                    "journal.jsonl  ok  \(store.replayedRecords) records, \(store.journalSize) bytes, framing and sequence verified\(tornNote)",
                    "references     ok  \(estate.ledger.organisations.count) organisations, \(estate.ledger.certificates.count) certificates, "
                        + "\(estate.devices.count) devices, \(estate.ledger.requests.count) requests, \(estate.ledger.recordedCounters.count) recorded counters",
                    "audit trail    ok  \(audit.entries) entries, each hash and link recomputed"
                        + (audit.head.map { ", head \($0.sequence) \($0.hash)" } ?? ""),
                ]
            })
        }

        /// The index's state for `--json`, and its line for people.
        private static func describe(_ finding: SnapshotIndexCheck.Finding) -> (state: String, line: String) {
            switch finding {
            case .matches(let requests, let audit): ("ok", "ok  \(requests) request rows and \(audit) audit rows located, made again from the log and compared")
            case .notNeeded: ("not-needed", "-   this snapshot predates the log; the next compaction writes both")
            case .missing: ("missing", "-   missing; the next open makes it again from the log")
            case .stale: ("stale", "-   made for another log or damaged; the next open makes it again from the log")
            case .wrong: ("wrong", "wrong")
            }
        }

        /// The device index's state for `--json`, and its line for people.
        private static func describe(_ finding: SnapshotDeviceIndexCheck.Finding) -> (state: String, line: String) {
            switch finding {
            case .matches(let devices): ("ok", "ok  \(devices) device rows located, made again from the body and compared")
            case .notNeeded: ("not-needed", "-   this snapshot predates the log; its devices are read whole until the next compaction")
            case .missing: ("missing", "-   missing; devices are read whole until the next writer makes it again")
            case .stale: ("stale", "-   made for another body or damaged; devices are read whole until the next writer makes it again")
            case .wrong: ("wrong", "wrong")
            }
        }
    }

    /// Folds the journal into a new snapshot.
    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fold the journal into a new snapshot (atomic: a crash at any point leaves a store that opens).")

        @OptionGroup var options: CommonOptions

        func run() throws {
            let (session, store) = try options.openStoreForMaintenance()
            defer { session.close() }
            let before = store.journalSize
            do {
                try store.compact()
            } catch {
                throw CLIFailure(error)
            }
            options.emit(.object([("snapshotBytes", .integer(store.snapshotSize)), ("journalBytesFolded", .integer(before))]),
                         human: { ["compacted: \(before) journal bytes folded into a \(store.snapshotSize)-byte snapshot"] })
        }
    }
}
