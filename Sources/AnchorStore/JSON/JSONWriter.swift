/// Writes JSON straight into bytes: no `Double`, no Foundation, counters as exact decimals.
///
/// The caller lays out the document (`{`, keys, commas); the writer gets the escaping and
/// number formatting right.
struct JSONWriter {
    /// The document so far.
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends literal ASCII, such as `{"id":` or `,`.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends JSON another writer produced, such as a value encoded once and used twice.
    mutating func append(encoded: [UInt8]) {
        bytes.append(contentsOf: encoded)
    }

    /// Appends bytes as a string of upper-case hex digits (`"DF09…"`), as GBCS bytes are shown.
    mutating func hex(_ value: [UInt8]) {
        let digits: StaticString = "0123456789ABCDEF"
        bytes.append(UInt8(ascii: "\""))
        bytes.reserveCapacity(bytes.count + value.count * 2 + 1)
        digits.withUTF8Buffer { digits in
            for byte in value {
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0F)])
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends one byte of punctuation.
    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a string literal, escaping quotes, backslashes and every control character.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                appendEscape(for: byte)
                runStart = index + 1
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an unsigned number as bare digits.
    mutating func number(_ value: UInt64) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch for up to 20 digits
        withUnsafeMutableBytes(of: &digits) { scratch in
            var remaining = value
            var position = scratch.count
            while remaining > 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            bytes.append(contentsOf: scratch[position...])
        }
    }

    /// Appends a signed number as digits.
    mutating func number(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        number(value.magnitude.toUInt64)
    }

    /// Appends an unsigned number as a decimal string, as counters are written.
    mutating func decimalString(_ value: UInt64) {
        bytes.append(UInt8(ascii: "\""))
        number(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a string of exactly `count` bytes that need no escaping, written by `fill`.
    mutating func quoted(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBytes { fill(UnsafeMutableRawBufferPointer(rebasing: $0[start..<(start + count)])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `true` or `false`.
    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// Appends `null`.
    mutating func null() {
        raw("null")
    }

    private mutating func appendEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}

extension UInt {
    fileprivate var toUInt64: UInt64 { UInt64(self) }
}
