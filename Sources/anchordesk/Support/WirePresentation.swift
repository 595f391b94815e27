import GBCS
import DCCWire

/// How bytes on the wire are shown: hex, and a field-by-field breakdown.
enum WirePresentation {
    /// `{"command": hex, "response": hex | null}` for the last exchange (a request sends at most one command).
    static func json(_ exchanges: [WireExchange]) -> JSONValue {
        guard let exchange = exchanges.last else { return .null }
        return .object([
            ("command", .string(Hex.string(exchange.command))),
            ("response", exchange.response.map { .string(Hex.string($0)) } ?? .null),
        ])
    }

    /// Human lines: each message's hex, then one line per field.
    static func lines(_ exchanges: [WireExchange]) -> [String] {
        guard let exchange = exchanges.last else { return ["", "wire: nothing was sent"] }
        var lines = ["", "command (\(exchange.command.count) bytes)"] + dump(exchange.command)
        if let response = exchange.response {
            lines += ["", "response (\(response.count) bytes)"] + dump(response)
        } else {
            lines += ["", "response: none (the device did not answer)"]
        }
        return lines
    }

    /// A message's hex in rows of 32 bytes, then its fields.
    static func dump(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        for start in stride(from: 0, to: bytes.count, by: 32) {
            lines.append("  " + Hex.string(bytes[start..<min(start + 32, bytes.count)], separator: " "))
        }
        do {
            lines += fieldLines(try GBCSMessage.decode(bytes).fields)
        } catch {
            lines.append("  (cannot be decoded: \(error.description))")
        }
        return lines
    }

    /// One line per field: offset, name, up to 16 bytes of hex, meaning.
    static func fieldLines(_ fields: [WireField]) -> [String] {
        fields.map { field in
            let shown = field.bytes.count > 16
                ? Hex.string(field.bytes.prefix(16), separator: " ") + " … (\(field.bytes.count) bytes)"
                : Hex.string(field.bytes, separator: " ")
            let offset = String(field.offset)
            let name = field.name.padding(toLength: max(field.name.count, 42), withPad: " ", startingAt: 0)
            return "  " + String(repeating: " ", count: max(0, 5 - offset.count)) + offset + "  " + name + "  " + shown
                + (field.meaning.isEmpty ? "" : "  = " + Presentation.safe(field.meaning))
        }
    }
}
