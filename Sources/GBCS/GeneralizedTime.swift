import AnchorCore

/// The ASN.1 GeneralizedTime form GBCS uses for `executionDateTime`: `YYYYMMDDHHMMSSZ`, UTC,
/// no fractions (the form in DCC's future-dated reference messages, e.g. `20300115000000Z`).
extension Timestamp {
    /// This moment as `YYYYMMDDHHMMSSZ`.
    public var generalizedTime: String {
        String(description.filter { $0.isNumber }) + "Z"
    }

    /// Parses `YYYYMMDDHHMMSSZ`; `nil` for any other form.
    public init?(generalizedTime text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 15, bytes[14] == UInt8(ascii: "Z"), bytes[..<14].allSatisfy({ (48...57).contains($0) }) else { return nil }
        let digits = String(decoding: bytes[..<14], as: UTF8.self)
        func part(_ from: Int, _ length: Int) -> Substring {
            let start = digits.index(digits.startIndex, offsetBy: from)
            return digits[start..<digits.index(start, offsetBy: length)]
        }
        self.init(iso8601: "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))Z")
    }
}
