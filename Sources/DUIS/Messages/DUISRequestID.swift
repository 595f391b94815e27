import AnchorCore

/// A DUIS Request ID, `originator:target:counter`: two EUI-64s as eight hyphenated hex pairs and
/// an unsigned 64-bit decimal counter without leading zeros (DUIS schema `RequestIDType`).
public struct DUISRequestID: Hashable, Sendable, CustomStringConvertible {
    /// The User's entity ID.
    public var originator: EUI64
    /// The device (or the DCC, for non-device services).
    public var target: EUI64
    /// The User's counter.
    public var counter: UInt64

    /// A Request ID from its parts.
    public init(originator: EUI64, target: EUI64, counter: UInt64) {
        self.originator = originator
        self.target = target
        self.counter = counter
    }

    /// Parses the text form; `nil` unless it is exactly that form.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 23, parts[1].count == 23,
              let originator = EUI64(parts[0]), let target = EUI64(parts[1]),
              let counter = DUISRequestID.counter(parts[2])
        else { return nil }
        self.init(originator: originator, target: target, counter: counter)
    }

    /// `originator:target:counter`, as AnchorDesk's request log writes Request IDs.
    public var description: String {
        "\(originator):\(target):\(counter)"
    }

    /// The ResponseID of a device's answer: the target and originator swapped.
    public var responseID: String {
        "\(target):\(originator):\(counter)"
    }

    /// A decimal counter: digits only, no leading zero (but `0`), at most `UInt64.max`.
    static func counter(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), text == "0" || text.first != "0" else { return nil }
        return UInt64(text)
    }
}
