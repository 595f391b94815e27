import AnchorCore

/// A JSON document built for output, keeping key order and explicit nulls.
enum JSONValue: Sendable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// A string, or null when absent.
    static func optional(_ value: (some CustomStringConvertible)?) -> JSONValue {
        value.map { .string($0.description) } ?? .null
    }

    /// The document as indented JSON text.
    func rendered() -> String {
        var output = ""
        write(to: &output, indent: 0, pretty: true)
        return output
    }

    /// The document on one line, for JSON Lines.
    func compact() -> String {
        var output = ""
        write(to: &output, indent: 0, pretty: false)
        return output
    }

    /// Appends the document to `output`, one buffer for the whole document (a report over a
    /// million devices is tens of megabytes: no intermediate strings per value).
    func write(to output: inout String, indent: Int, pretty: Bool) {
        func newline(_ level: Int) {
            guard pretty else { return }
            output += "\n"
            for _ in 0..<level { output += "  " }
        }
        switch self {
        case .string(let text): JSONValue.appendQuoted(text, to: &output)
        case .integer(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                newline(indent + 1)
                item.write(to: &output, indent: indent + 1, pretty: pretty)
            }
            newline(indent)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                newline(indent + 1)
                JSONValue.appendQuoted(member.0, to: &output)
                output += pretty ? ": " : ":"
                member.1.write(to: &output, indent: indent + 1, pretty: pretty)
            }
            newline(indent)
            output += "}"
        }
    }

    /// A JSON string literal with every control character escaped.
    static func quote(_ text: String) -> String {
        var output = ""
        appendQuoted(text, to: &output)
        return output
    }

    /// Appends a JSON string literal, escaping quotes, backslashes and every character
    /// ``DisplaySafeText`` calls unsafe (C0 and C1 controls, DEL, bidirectional controls) as
    /// `\uXXXX`; text that needs none of that is copied whole.
    static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        var plain = text
        if DisplaySafeText.isPrintableASCII(&plain), !plain.utf8.contains(0x22), !plain.utf8.contains(0x5C) {
            output += plain
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if DisplaySafeText.isUnsafe(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
