import AnchorCore

extension JSONReader {
    /// Reads a string and parses its bytes, without keeping a `String` when it has no escapes.
    mutating func readParsedString<Value>(
        _ what: String, _ parse: (UnsafeBufferPointer<UInt8>) -> Value?
    ) throws(JSONReadError) -> Value {
        let start = position
        if let raw = readUnescapedASCIIString() {
            guard let value = parse(raw) else {
                throw JSONReadError(offset: start, message: "'\(DisplaySafeText.sanitize(String(decoding: raw.prefix(40), as: UTF8.self)))' is not \(what)")
            }
            return value
        }
        var text = try readString()
        guard let value = text.withUTF8(parse) else {
            throw JSONReadError(offset: start, message: "'\(DisplaySafeText.sanitize(text.prefix(40)))' is not \(what)")
        }
        return value
    }

    /// Reads a device or entity ID.
    mutating func readEUI64() throws(JSONReadError) -> EUI64 {
        try readParsedString("an EUI-64 ID") { EUI64(utf8: $0) }
    }

    /// Reads an ISO 8601 UTC time.
    mutating func readTimestamp() throws(JSONReadError) -> Timestamp {
        try readParsedString("an ISO 8601 UTC time") { Timestamp(iso8601UTF8: $0) }
    }

    /// Reads a counter written as a decimal string.
    mutating func readCounter() throws(JSONReadError) -> OriginatorCounter {
        OriginatorCounter(try readDecimalString())
    }

    /// Reads a string naming a case of a `String`-backed enum.
    mutating func readEnum<Value: RawRepresentable>(_ type: Value.Type) throws(JSONReadError) -> Value where Value.RawValue == String {
        let start = position
        let text = try readString()
        guard let value = Value(rawValue: text) else {
            throw JSONReadError(offset: start, message: "unknown \(Value.self) '\(DisplaySafeText.sanitize(text.prefix(40)))'")
        }
        return value
    }

    /// An error for a key the schema does not have.
    func unknownKey(_ key: String, in object: String) -> JSONReadError {
        error("unknown key '\(DisplaySafeText.sanitize(key.prefix(40)))' in \(object)")
    }

    /// Fails when a required key was absent.
    func require<Value>(_ value: Value?, _ key: String, in object: String) throws(JSONReadError) -> Value {
        guard let value else { throw error("\(object) is missing '\(key)'") }
        return value
    }
}

extension JSONWriter {
    /// Writes a counter as a decimal string.
    mutating func counter(_ value: OriginatorCounter) {
        decimalString(value.value)
    }

    /// Writes an optional counter, or null.
    mutating func counter(_ value: OriginatorCounter?) {
        if let value { decimalString(value.value) } else { null() }
    }

    /// Writes an ID in its canonical form, as a string.
    mutating func eui64(_ id: EUI64) {
        quoted(count: 23) { id.writeCanonical(into: $0) }
    }

    /// Writes a time in ISO 8601, as a string.
    mutating func timestamp(_ time: Timestamp) {
        quoted(count: 20) { time.writeISO8601(into: $0) }
    }
}
