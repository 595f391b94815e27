import AnchorCore
import AnchorStore
import ArgumentParser
import DUISServer
import OperatorClient

/// `anchordesk audit verify|export`: the hash-chained audit trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check or export the tamper-evident audit trail.",
        subcommands: [Verify.self, Export.self])

    /// `audit verify`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the audit chain across snapshot and journal; exit 3 at the first altered, removed or reordered entry.",
            discussion: "Reads the files directly (no lock, and even when the store would not open). Note the head hash it prints: a later truncation of the chain is visible only against it.")

        @OptionGroup var options: CommonOptions

        func run() throws {
            if let connection = try options.operatorAPI() { return try verifyAtTheDSP(connection) }
            let report: AuditVerifier.Report
            do {
                report = try options.withFilesToCheck(AuditVerifier.verify(directory:))
            } catch let failure as AuditFailure {
                throw Self.broken(failure)
            } catch let error as StoreError {
                throw CLIFailure(error)
            }
            if let torn = report.tornTail {
                Console.warn(Store.tornTailWarning(journalPath: Store.path(options.storeDirectory, Store.journalName),
                                                   offset: torn.offset, length: torn.length))
            }
            emit(entries: report.entries, unaudited: report.unaudited, head: report.head.map { ($0.sequence, $0.hash.description) })
        }

        /// Through the operator API the DSP checks its own chain; a break is said as at the DSP,
        /// the file named without the DSP's path.
        private func verifyAtTheDSP(_ connection: OperatorConnection) throws(CLIFailure) {
            let audit: OperatorReplies.Audit = try OperatorCall.json(connection.get(OperatorAPIPath.audit), from: connection)
            if let failure = audit.failure { throw Self.broken(failure) }
            emit(entries: audit.entries, unaudited: audit.unaudited, head: audit.headSequence.flatMap { sequence in audit.headHash.map { (sequence, $0) } })
        }

        /// Exit 3 `audit-broken` at the first altered, removed or reordered entry.
        private static func broken(_ failure: AuditFailure) -> CLIFailure {
            CLIFailure(exitCode: .storeUnusable, code: "audit-broken", message: Presentation.safe(failure.description), details: [
                ("entry", .optional(failure.sequence)),
                ("file", .string(Presentation.safe(failure.path))),
                ("offset", .integer(failure.offset)),
            ])
        }

        private func emit(entries: Int, unaudited: Int, head: (sequence: UInt64, hash: String)?) {
            options.emit(.object([
                ("intact", .bool(true)),
                ("entries", .integer(entries)),
                ("unaudited", .integer(unaudited)),
                ("head", head.map { head in
                    .object([("sequence", .string(String(head.sequence))), ("hash", .string(Presentation.safe(head.hash)))])
                } ?? .null),
            ]), human: {
                ["audit trail intact: \(entries) entries"
                    + (head.map { ", head entry \($0.sequence) \(Presentation.safe($0.hash))" } ?? "")
                    + (unaudited > 0 ? "; \(unaudited) older records predate the audit trail" : "")]
            })
        }
    }

    /// `audit export`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the audit trail as JSON Lines: sequence, kind, previousHash, hash and the record exactly as hashed.",
            discussion: """
                Each line's hash is SHA-256 of "anchordesk-audit-1\\n" + sequence + "\\n" + kind + "\\n" + previousHash + "\\n" \
                + the line's "record" value byte for byte, so the export can be checked without AnchorDesk. One exception keeps \
                the export safe to print: characters a terminal would act on that JSON lets stand unescaped (DEL, C1 controls, \
                U+061C, U+200E, U+200F, U+2028, U+2029, U+202A-U+202E, U+2066-U+2069) are written as \\uXXXX; turn those \
                escapes back into the characters (UTF-8) before hashing.
                """)

        @OptionGroup var options: CommonOptions

        func run() throws {
            if let connection = try options.operatorAPI() { return try RemoteAuditExport.run(connection) }
            let store = try options.openForReading()
            store.exportAuditTrail { line in Console.out(line) }
        }
    }
}
