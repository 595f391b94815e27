import AnchorCore

extension Store {
    /// Writes the audit trail as JSON Lines, oldest first:
    /// `{"sequence":"N","kind":"request","previousHash":"…","hash":"…","record":{…}}`, where
    /// `record` is the canonical JSON the hash covers, byte for byte.
    /// - Parameter line: called once per entry with one line (no newline).
    public func exportAuditTrail(_ line: (String) -> Void) {
        for entry in auditTrail {
            guard let canonical = AuditChain.canonical(entry.kind, position: entry.position, in: estate.ledger) else { continue }
            var writer = JSONWriter(reservingCapacity: canonical.count + 256)
            writer.raw("{\"sequence\":"); writer.decimalString(entry.sequence)
            writer.raw(",\"kind\":"); writer.string(entry.kind.rawValue)
            writer.raw(",\"previousHash\":"); writer.string(entry.previousHash.description)
            writer.raw(",\"hash\":"); writer.string(entry.hash.description)
            writer.raw(",\"record\":"); writer.append(encoded: canonical)
            writer.byte(UInt8(ascii: "}"))
            line(String(decoding: writer.bytes, as: UTF8.self))
        }
    }
}
