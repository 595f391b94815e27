/// A GBCS/DLMS date-time (12 octets) as text, for display.
enum DateTimeText {
    static func describe(_ octets: [UInt8]) -> String {
        guard octets.count == 12 else { return Hex.string(octets) }
        let year = Int(octets[0]) << 8 | Int(octets[1])
        func two(_ value: UInt8) -> String { value == 0xFF ? "--" : (value < 10 ? "0\(value)" : "\(value)") }
        return "\(year == 0xFFFF ? "----" : String(year))-\(two(octets[2]))-\(two(octets[3])) \(two(octets[5])):\(two(octets[6])):\(two(octets[7]))"
    }
}
