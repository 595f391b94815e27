/// A SHA-256 digest in the audit chain, held inline (no allocation per entry).
public struct AuditHash: Hashable, Sendable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The previous hash of the first entry: 64 zeros.
    public static let genesis = AuditHash(bytes: [UInt8](repeating: 0, count: 32))

    /// A hash from its 32 bytes (any other count gives the genesis hash's zeros past the end).
    public init(bytes: some Collection<UInt8>) {
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.prefix(32).enumerated() {
            words[index / 8] |= UInt64(byte) << (56 - 8 * UInt64(index % 8))
        }
        self.words = (words[0], words[1], words[2], words[3])
    }

    /// Parses 64 lowercase hexadecimal digits.
    public init?(hex text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ AuditHash(hexUTF8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses 64 lowercase hexadecimal digits given as UTF-8, allocating nothing (a snapshot
    /// holds two per audit entry).
    init?(hexUTF8 digits: UnsafeBufferPointer<UInt8>) {
        guard digits.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in 0..<4 {
            var value: UInt64 = 0
            for index in (16 * word)..<(16 * word + 16) {
                guard let digit = Self.value(of: digits[index]) else { return nil }
                value = value << 4 | UInt64(digit)
            }
            switch word {
            case 0: words.0 = value
            case 1: words.1 = value
            case 2: words.2 = value
            default: words.3 = value
            }
        }
        self.words = words
    }

    /// The 32 bytes, most significant first.
    public var bytes: [UInt8] {
        [words.0, words.1, words.2, words.3].flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64($0))) } }
    }

    /// 64 lowercase hexadecimal digits.
    public var description: String {
        let alphabet = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(alphabet[Int(byte >> 4)])
            text.append(alphabet[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func == (lhs: AuditHash, rhs: AuditHash) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
