/// A moment in UTC to the second, written as ISO 8601 (`2023-06-29T09:30:00Z`).
///
/// The engine never reads a clock: callers pass timestamps in.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64

    /// Creates a timestamp from seconds since the Unix epoch.
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// This moment plus a number of whole days.
    public func adding(days: Int64) -> Timestamp {
        Timestamp(secondsSince1970: secondsSince1970 + days * 86_400)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` or a bare date `YYYY-MM-DD` (midnight UTC).
    public init?(iso8601 text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ Timestamp(iso8601UTF8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses the UTF-8 bytes of an ISO 8601 time, as ``init(iso8601:)`` does, without making a `String`.
    public init?(iso8601UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count == 10 || bytes.count == 20,
              bytes.count < 5 || (bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...Timestamp.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds: Int64 = 0
        if bytes.count == 20 {
            guard bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                  bytes[19] == UInt8(ascii: "Z"),
                  let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
                  hour < 24, minute < 60, second < 60 else { return nil }
            seconds = hour * 3600 + minute * 60 + second
        }
        secondsSince1970 = Timestamp.daysFromCivil(year: year, month: month, day: day) * 86_400 + seconds
    }

    /// The ISO 8601 form, `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        String(unsafeUninitializedCapacity: 20) { buffer in
            writeISO8601(into: UnsafeMutableRawBufferPointer(buffer))
            return 20
        }
    }

    /// Writes the 20 bytes of `YYYY-MM-DDTHH:MM:SSZ` into `buffer` (years 0 to 9999).
    public func writeISO8601(into buffer: UnsafeMutableRawBufferPointer) {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = Timestamp.civilFromDays(days)
        func put(_ value: Int64, width: Int, at offset: Int) {
            var remaining = max(0, min(value, 9999))
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
        }
        put(year, width: 4, at: 0)
        buffer[4] = UInt8(ascii: "-")
        put(month, width: 2, at: 5)
        buffer[7] = UInt8(ascii: "-")
        put(day, width: 2, at: 8)
        buffer[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, width: 2, at: 11)
        buffer[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, width: 2, at: 14)
        buffer[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, width: 2, at: 17)
        buffer[19] = UInt8(ascii: "Z")
    }

    /// Just the date part, `YYYY-MM-DD`.
    public var dateOnly: String { String(description.prefix(10)) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    // Civil-calendar conversions after Howard Hinnant's public-domain algorithms (proleptic Gregorian).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
