import AnchorStore

/// The result of `audit verify`, as the console shows it.
public struct AuditSummary: Hashable, Sendable {
    /// The chain checked out.
    public var intact: Bool
    /// Entries checked.
    public var entries: Int
    /// The newest entry's sequence number, if any.
    public var headSequence: UInt64?
    /// The newest entry's hash (hexadecimal), if any: note it to detect a later truncation.
    public var headHash: String?
    /// Older records that predate the audit trail.
    public var unaudited: Int
    /// What is wrong (broken chain) or why it could not be checked.
    public var problem: String?

    /// Creates a summary.
    public init(intact: Bool, entries: Int = 0, headSequence: UInt64? = nil, headHash: String? = nil, unaudited: Int = 0,
                problem: String? = nil) {
        self.intact = intact
        self.entries = entries
        self.headSequence = headSequence
        self.headHash = headHash
        self.unaudited = unaudited
        self.problem = problem
    }

    /// Runs `AuditVerifier` on a store directory (reads the files, takes no lock).
    public static func verify(directory: String) -> AuditSummary {
        do {
            let report = try AuditVerifier.verify(directory: directory)
            return AuditSummary(intact: true, entries: report.entries, headSequence: report.head?.sequence,
                                headHash: report.head?.hash.description, unaudited: report.unaudited)
        } catch let failure as AuditFailure {
            return AuditSummary(intact: false, problem: failure.description)
        } catch {
            return AuditSummary(intact: false, problem: "could not check: \(error)")
        }
    }

    /// One line: `audit trail intact: 12 entries, head #12 ab12…` or what is broken.
    public func line(ellipsis: String) -> String {
        guard intact else { return "AUDIT TRAIL BROKEN: " + (problem ?? "unknown problem") }
        var text = "audit trail intact: \(entries) entr\(entries == 1 ? "y" : "ies")"
        if let headSequence, let headHash { text += ", head #\(headSequence) \(headHash.prefix(16))\(ellipsis)" }
        if unaudited > 0 { text += "; \(unaudited) older records predate it" }
        return text
    }
}
