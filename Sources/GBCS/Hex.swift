/// Hexadecimal text for bytes, and bytes from hexadecimal text.
public enum Hex {
    /// Upper-case hex with no separators: `DF09...`.
    public static func string(_ bytes: some Sequence<UInt8>, separator: String = "") -> String {
        guard separator.isEmpty else { return bytes.map(byte).joined(separator: separator) }
        var text: [UInt8] = []
        for value in bytes {
            text.append(digits[Int(value >> 4)])
            text.append(digits[Int(value & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let digits = Array("0123456789ABCDEF".utf8)

    /// One byte as two upper-case hex digits.
    public static func byte(_ value: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(value >> 4)], digits[Int(value & 0x0F)]])
    }

    /// Parses hex digits, ignoring spaces, tabs, newlines, colons and hyphens between bytes.
    /// - Throws: ``GBCSDecodingError`` naming the first character that is not a hex digit, or an odd digit count.
    public static func bytes(_ text: String) throws(GBCSDecodingError) -> [UInt8] {
        var result: [UInt8] = []
        var high: UInt8?
        var position = 0
        for scalar in text.unicodeScalars {
            defer { position += 1 }
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == ":" || scalar == "-" {
                continue
            }
            guard let nibble = nibble(scalar) else {
                let shown = scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
                    ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : "'\(scalar)'"
                throw GBCSDecodingError(offset: position, reason: "not hex: \(shown) at character \(position + 1)")
            }
            if let pending = high {
                result.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else {
            throw GBCSDecodingError(offset: position, reason: "not hex: an odd number of hex digits (a byte is two digits)")
        }
        return result
    }

    private static func nibble(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: UInt8(scalar.value - 0x30)
        case 0x41...0x46: UInt8(scalar.value - 0x41 + 10)
        case 0x61...0x66: UInt8(scalar.value - 0x61 + 10)
        default: nil
        }
    }
}
