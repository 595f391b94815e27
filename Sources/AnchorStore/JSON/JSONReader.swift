import Glibc

/// A pull parser over raw JSON bytes, for the store's own documents.
///
/// Strict RFC 8259: no trailing commas, no comments, strings must be valid UTF-8 with no raw
/// control characters, numbers must be read as the type the caller expects (unsigned
/// integers are exact; there is no `Double` anywhere). Every error names the byte offset.
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next unread byte.
    private(set) var position: Int
    private var depth = 0
    /// Deepest nesting accepted, so hostile input cannot exhaust the stack.
    static let maximumDepth = 512

    /// A reader over bytes that must stay valid while it is used (inside `withUnsafeBufferPointer`).
    init(_ bytes: UnsafeBufferPointer<UInt8>, startingAt position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    // MARK: Structure

    /// Consumes `{`.
    mutating func beginObject() throws(JSONReadError) {
        try open(UInt8(ascii: "{"))
    }

    /// Reads the next member's key and the `:` after it, or consumes `}` and returns `nil`.
    mutating func nextKey() throws(JSONReadError) -> String? {
        guard try continues(closing: UInt8(ascii: "}")) else { return nil }
        let key = try readString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Reads the next member's key and the `:` after it, handing `read` its bytes (decoded, for
    /// a key with escapes) without making a `String` of a plain one; or consumes `}` and returns `nil`.
    mutating func nextKey<Value>(reading read: (UnsafeBufferPointer<UInt8>) -> Value) throws(JSONReadError) -> Value? {
        guard try continues(closing: UInt8(ascii: "}")) else { return nil }
        let value: Value
        if let plain = readUnescapedASCIIString() {
            value = read(plain)
        } else {
            var decoded = try readString()
            value = decoded.withUTF8 { read($0) }
        }
        try expect(UInt8(ascii: ":"))
        return value
    }

    /// Passes over an array or object without reading what it holds: each bracket must close
    /// what it opened, no deeper than ``maximumDepth``, and strings are stepped over (to the
    /// first quote no backslash escapes); nothing else is checked. For a part of a document read
    /// later, by whoever reads it.
    mutating func passOverContainer() throws(JSONReadError) {
        skipWhitespace()
        let start = position
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") || bytes[position] == UInt8(ascii: "{"),
              let base = bytes.baseAddress
        else { throw error("expected an array or object") }
        /// The brackets open, innermost last.
        var open: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                var escaped = true
                while escaped {
                    guard position < bytes.count, let quote = memchr(base + position, Int32(UInt8(ascii: "\"")), bytes.count - position) else {
                        throw JSONReadError(offset: start, message: "unterminated string in an array or object")
                    }
                    let end = base.distance(to: quote.assumingMemoryBound(to: UInt8.self))
                    var backslashes = 0
                    while bytes[end - 1 - backslashes] == UInt8(ascii: "\\") { backslashes += 1 }
                    escaped = backslashes % 2 == 1
                    position = end + 1
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                open.append(byte)
                guard open.count <= JSONReader.maximumDepth else { throw error("nesting deeper than \(JSONReader.maximumDepth)") }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard open.popLast() == (byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")) else {
                    throw JSONReadError(offset: position - 1, message: "'\(Character(Unicode.Scalar(byte)))' closes no bracket it matches")
                }
                if open.isEmpty { return }
            default:
                continue
            }
        }
        throw JSONReadError(offset: start, message: "unterminated array or object")
    }

    /// Consumes `[`.
    mutating func beginArray() throws(JSONReadError) {
        try open(UInt8(ascii: "["))
    }

    /// Whether another element follows (consuming its `,`), or consumes `]` and returns false.
    mutating func nextElement() throws(JSONReadError) -> Bool {
        try continues(closing: UInt8(ascii: "]"))
    }

    /// Fails unless only whitespace remains.
    mutating func expectEnd() throws(JSONReadError) {
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected data after the document") }
    }

    // MARK: Values

    /// Reads a string, decoding escapes and checking UTF-8.
    mutating func readString() throws(JSONReadError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        var asciiOnly = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                if asciiOnly { return String(decoding: run, as: UTF8.self) }
                guard let text = String(validating: run, as: UTF8.self) else {
                    throw JSONReadError(offset: start, message: "string is not valid UTF-8")
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if byte < 0x20 { throw error("raw control character in a string") }
            if byte >= 0x80 { asciiOnly = false }
            position += 1
        }
        throw JSONReadError(offset: start - 1, message: "unterminated string")
    }

    /// Consumes a string that needs no decoding (printable ASCII, no escapes) and returns its
    /// bytes; leaves the position unchanged and returns `nil` for any other next value.
    mutating func readUnescapedASCIIString() -> UnsafeBufferPointer<UInt8>? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        var end = position + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end])
                position = end + 1
                return run
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
            end += 1
        }
        return nil
    }

    /// Reads an unsigned integer written as bare digits.
    mutating func readUInt64() throws(JSONReadError) -> UInt64 {
        skipWhitespace()
        return try digits(until: nil)
    }

    /// Reads a non-negative `Int` written as bare digits.
    mutating func readInt() throws(JSONReadError) -> Int {
        let start = position
        let value = try readUInt64()
        guard value <= UInt64(Int.max) else { throw JSONReadError(offset: start, message: "number too large") }
        return Int(value)
    }

    /// Reads an unsigned integer written as a decimal string, as counters are.
    mutating func readDecimalString() throws(JSONReadError) -> UInt64 {
        try expect(UInt8(ascii: "\""))
        return try digits(until: UInt8(ascii: "\""))
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(JSONReadError) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw error("expected true or false")
    }

    /// Consumes `null` if it comes next and says whether it did.
    mutating func readNullIfPresent() -> Bool {
        skipWhitespace()
        return matchLiteral("null")
    }

    /// Reads any value into a tree, for documents whose shape is open.
    mutating func readValue() throws(JSONReadError) -> JSONNode {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of data, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            try beginObject()
            var members: [(String, JSONNode)] = []
            while let key = try nextKey() { members.append((key, try readValue())) }
            return .object(members)
        case UInt8(ascii: "["):
            try beginArray()
            var elements: [JSONNode] = []
            while try nextElement() { elements.append(try readValue()) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try readBool())
        case UInt8(ascii: "n"):
            guard readNullIfPresent() else { throw error("expected null") }
            return .null
        case UInt8(ascii: "-"):
            position += 1
            let magnitude = try digits(until: nil)
            guard magnitude <= UInt64(Int64.max) + 1 else { throw error("number out of range") }
            return .negative(magnitude)
        default:
            return .unsigned(try digits(until: nil))
        }
    }

    /// Skips any value.
    mutating func skipValue() throws(JSONReadError) {
        _ = try readValue()
    }

    /// Where the next value starts: the position after any whitespace.
    mutating func positionOfNextValue() -> Int {
        skipWhitespace()
        return position
    }

    /// An error at the current position.
    func error(_ message: String) -> JSONReadError {
        JSONReadError(offset: position, message: message)
    }

    /// The bytes read: for a reader of one array row elsewhere in the same document.
    var buffer: UnsafeBufferPointer<UInt8> { bytes }

    /// Continues after an array whose elements another reader has read, at `end`, the offset
    /// just past its `]`, as ``nextElement()`` returning `false` there would.
    mutating func finishArray(at end: Int) {
        position = end
        depth -= 1
        first = false
    }

    // MARK: Internals

    private mutating func open(_ bracket: UInt8) throws(JSONReadError) {
        try expect(bracket)
        depth += 1
        guard depth <= JSONReader.maximumDepth else { throw error("nesting deeper than \(JSONReader.maximumDepth)") }
        first = true
    }

    private var first = true

    /// Handles the comma or closing bracket between container members.
    private mutating func continues(closing: UInt8) throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of data inside a container") }
        if bytes[position] == closing {
            position += 1
            depth -= 1
            first = false
            return false
        }
        if first {
            first = false
            return true
        }
        guard bytes[position] == UInt8(ascii: ",") else {
            throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
        }
        position += 1
        skipWhitespace()
        guard position < bytes.count, bytes[position] != closing else { throw error("trailing comma") }
        return true
    }

    private mutating func digits(until terminator: UInt8?) throws(JSONReadError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (added, overflowB) = shifted.addingReportingOverflow(UInt64(bytes[position] - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { throw JSONReadError(offset: start, message: "number out of range 0...\(UInt64.max)") }
            value = added
            position += 1
        }
        guard position > start else { throw error("expected digits") }
        guard position - start == 1 || bytes[start] != UInt8(ascii: "0") else {
            throw JSONReadError(offset: start, message: "leading zero in a number")
        }
        if let terminator {
            guard position < bytes.count, bytes[position] == terminator else { throw error("expected only digits in a counter string") }
            position += 1
        } else if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            throw error("expected a whole number")
        }
        return value
    }

    private mutating func readEscapedString(from start: Int) throws(JSONReadError) -> String {
        var scratch: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw JSONReadError(offset: start, message: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try readUnicodeEscape()
                    scratch.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw JSONReadError(offset: position - 2, message: "invalid escape")
                }
            default:
                if byte < 0x20 { throw error("raw control character in a string") }
                scratch.append(byte)
                position += 1
            }
        }
        throw JSONReadError(offset: start - 1, message: "unterminated string")
    }

    /// Reads the four hex digits after `\u` (and a low surrogate's escape after a high one).
    private mutating func readUnicodeEscape() throws(JSONReadError) -> Unicode.Scalar {
        let escapeStart = position - 2
        let first = try hexQuad()
        var value = UInt32(first)
        if (0xD800...0xDBFF).contains(first) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw JSONReadError(offset: escapeStart, message: "high surrogate without a low surrogate")
            }
            position += 2
            let second = try hexQuad()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw JSONReadError(offset: escapeStart, message: "high surrogate without a low surrogate")
            }
            value = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(first) {
            throw JSONReadError(offset: escapeStart, message: "lone low surrogate")
        }
        guard let scalar = Unicode.Scalar(value) else { throw JSONReadError(offset: escapeStart, message: "invalid code point") }
        return scalar
    }

    private mutating func hexQuad() throws(JSONReadError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(nibble)
            position += 1
        }
        return value
    }

    private mutating func expect(_ byte: UInt8) throws(JSONReadError) {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of data, expected '\(Character(Unicode.Scalar(byte)))'") }
        guard bytes[position] == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard position + length <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            (0..<length).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        if matches { position += length }
        return matches
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }
}

/// A JSON value read without a schema.
indirect enum JSONNode: Equatable {
    case object([(String, JSONNode)])
    case array([JSONNode])
    case string(String)
    case unsigned(UInt64)
    /// A negative integer, by magnitude.
    case negative(UInt64)
    case bool(Bool)
    case null

    static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.unsigned(let a), .unsigned(let b)): a == b
        case (.negative(let a), .negative(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }
}
