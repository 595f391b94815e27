import AnchorCore

/// The snapshot's audit rows: `["sequence","kind",position,"previousHash","hash"]`.
enum AuditRowCoding {
    static func write(_ entry: AuditEntry, to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "[")); writer.decimalString(entry.sequence)
        writer.byte(UInt8(ascii: ",")); writer.string(entry.kind.rawValue)
        writer.byte(UInt8(ascii: ",")); writer.number(entry.position)
        writer.byte(UInt8(ascii: ",")); writer.string(entry.previousHash.description)
        writer.byte(UInt8(ascii: ",")); writer.string(entry.hash.description)
        writer.byte(UInt8(ascii: "]"))
    }

    static func read(_ reader: inout JSONReader) throws(JSONReadError) -> AuditEntry {
        func field(_ reader: inout JSONReader, _ name: String) throws(JSONReadError) {
            guard try reader.nextElement() else { throw reader.error("an audit row ends before its \(name)") }
        }
        try reader.beginArray()
        try field(&reader, "sequence"); let sequence = try reader.readDecimalString()
        try field(&reader, "kind"); let kind = try reader.readEnum(AuditEntry.Kind.self)
        try field(&reader, "position"); let position = try reader.readInt()
        try field(&reader, "previousHash"); let previous = try reader.readAuditHash()
        try field(&reader, "hash"); let hash = try reader.readAuditHash()
        guard try !reader.nextElement() else { throw reader.error("an audit row has more than five fields") }
        return AuditEntry(sequence: sequence, kind: kind, position: position, previousHash: previous, hash: hash)
    }
}
