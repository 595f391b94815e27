/// An IEEE EUI-64 identifier, as GBCS uses for devices and for organisations' entity IDs.
///
/// Parsed from 16 hexadecimal digits with or without hyphens, in any case;
/// printed as eight upper-case pairs joined by hyphens: `00-DB-12-34-56-78-90-A1`.
public struct EUI64: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as a big-endian 64-bit number.
    public let rawValue: UInt64

    /// Creates an identifier from its 64-bit value.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses `00-DB-12-34-56-78-90-A1`, `00db1234567890a1` and mixtures of the two.
    ///
    /// Hyphens may stand only between byte pairs; anything else, or other than 16 digits, is refused.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// Parses the UTF-8 bytes of an ID, as ``init(_:)`` does, without making a `String`.
    public init?(utf8 bytes: some Sequence<UInt8>) {
        guard let parsed = bytes.withContiguousStorageIfAvailable({ EUI64(utf8Buffer: $0) }) ?? Array(bytes).withUnsafeBufferPointer({ EUI64(utf8Buffer: $0) }) else {
            return nil
        }
        self = parsed
    }

    private init?(utf8Buffer bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count == Self.canonicalLength, let value = Self.canonicalValue(bytes) {
            rawValue = value
            return
        }
        var value: UInt64 = 0
        var digits = 0
        var previousWasHyphen = true
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "-") {
                if previousWasHyphen || digits % 2 != 0 { return nil }
                previousWasHyphen = true
                continue
            }
            guard let nibble = EUI64.hexValue(byte), digits < 16 else { return nil }
            value = value << 4 | UInt64(nibble)
            digits += 1
            previousWasHyphen = false
        }
        guard digits == 16, !previousWasHyphen else { return nil }
        rawValue = value
    }

    /// The bytes of the canonical form (`00-DB-12-34-56-78-90-A1`).
    public static let canonicalLength = 23

    /// The canonical hyphenated upper-case form.
    public var description: String {
        String(unsafeUninitializedCapacity: Self.canonicalLength) { buffer in
            writeCanonical(into: UnsafeMutableRawBufferPointer(buffer))
            return Self.canonicalLength
        }
    }

    /// Writes the ``canonicalLength`` bytes of the canonical form (`00-DB-12-34-56-78-90-A1`) into `buffer`.
    public func writeCanonical(into buffer: UnsafeMutableRawBufferPointer) {
        let digits: StaticString = "0123456789ABCDEF"
        digits.withUTF8Buffer { table in
            for index in 0..<8 {
                let byte = Int(truncatingIfNeeded: rawValue >> UInt64(56 - index * 8)) & 0xFF
                buffer[index * 3] = table[byte >> 4]
                buffer[index * 3 + 1] = table[byte & 0x0F]
                if index < 7 { buffer[index * 3 + 2] = UInt8(ascii: "-") }
            }
        }
    }

    /// Whether the 16 hex digits of this ID (no hyphens) contain `digits` (hex, either case),
    /// compared nibble by nibble without building a string.
    public func hexDigitsContain(_ digits: String) -> Bool {
        var needle: UInt64 = 0
        var count = 0
        for byte in digits.utf8 {
            guard let nibble = EUI64.hexValue(byte), count < 16 else { return false }
            needle = needle << 4 | UInt64(nibble)
            count += 1
        }
        guard count > 0 else { return true }
        let mask: UInt64 = count == 16 ? ~0 : (1 << UInt64(count * 4)) - 1
        for shift in stride(from: 0, through: (16 - count) * 4, by: 4) where (rawValue >> UInt64(shift)) & mask == needle {
            return true
        }
        return false
    }

    /// The 8 big-endian octets, as they appear on the wire.
    public var octets: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: rawValue >> UInt64(56 - $0 * 8)) }
    }

    public static func < (lhs: EUI64, rhs: EUI64) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The value of the canonical form (eight pairs joined by hyphens, either case), as the
    /// store writes every ID, read pair by pair; `nil` for any other text.
    private static func canonicalValue(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for pair in 0..<8 {
            let at = pair * 3
            guard pair == 7 || bytes[at + 2] == UInt8(ascii: "-"),
                  let high = hexValue(bytes[at]), let low = hexValue(bytes[at + 1]) else { return nil }
            value = value << 8 | UInt64(high << 4 | low)
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension EUI64: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = EUI64(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an EUI-64 (16 hex digits)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
