/// A GBCS Originator Counter: an unsigned 64-bit number, written in JSON as a decimal string.
///
/// Counters above 2^53 do not survive a `Double`, so they never pass through one:
/// parsing and printing work on the digits directly.
public struct OriginatorCounter: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The counter's value.
    public var value: UInt64

    /// Wraps a counter value.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// Parses a decimal string of 1 to 20 digits within `UInt64`; no sign, no spaces.
    public init?(decimal text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let parsed = UInt64(text, radix: 10) else { return nil }
        value = parsed
    }

    /// The next counter, or `nil` when this one is `UInt64.max`.
    public var successor: OriginatorCounter? {
        let (next, overflow) = value.addingReportingOverflow(1)
        return overflow ? nil : OriginatorCounter(next)
    }

    /// The decimal digits.
    public var description: String { String(value) }

    public static func < (lhs: OriginatorCounter, rhs: OriginatorCounter) -> Bool { lhs.value < rhs.value }
}

extension OriginatorCounter: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = OriginatorCounter(decimal: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a counter (decimal string within 0...18446744073709551615)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
