import AnchorCore
import Testing

@Suite("Identifiers, counters and timestamps")
struct IdentifierTests {
    @Test("device IDs with or without hyphens, any case", arguments: [
        "00-DB-12-34-56-78-90-A1", "00db1234567890a1", "00DB1234567890A1", "00-db-12-34-56-78-90-a1",
    ])
    func parsesDeviceIDs(text: String) throws {
        let id = try #require(EUI64(text))
        #expect(id.rawValue == 0x00DB_1234_5678_90A1)
        #expect(id.description == "00-DB-12-34-56-78-90-A1")
    }

    @Test("malformed device IDs are refused", arguments: [
        "", "00-DB", "00DB1234567890A", "00DB1234567890A1F", "00-DB-12-34-56-78-90-AG", "-00DB1234567890A1",
        "00DB1234567890A1-", "0-0DB1234567890A1", "00--DB1234567890A1", "00 DB 12 34 56 78 90 A1", "00DB1234567890A１",
    ])
    func refusesMalformedIDs(text: String) {
        #expect(EUI64(text) == nil)
    }

    @Test func idsRoundTripForAnyValue() {
        var generator = SystemRandomNumberGenerator()
        for value in [UInt64.min, UInt64.max, 1, 0x8000_0000_0000_0000] + (0..<200).map({ _ in generator.next() }) {
            let id = EUI64(rawValue: value)
            #expect(EUI64(id.description) == id)
        }
    }

    @Test("counters are exact decimal uint64", arguments: [
        ("0", UInt64?.some(0)), ("18446744073709551615", UInt64.max), ("9007199254740993", 9_007_199_254_740_993),
        ("18446744073709551616", nil), ("-1", nil), ("abc", nil), ("", nil), (" 1", nil), ("+1", nil), ("1e3", nil),
    ])
    func parsesCounters(text: String, expected: UInt64?) {
        #expect(OriginatorCounter(decimal: text)?.value == expected)
    }

    @Test func counterSuccessorStopsAtTheTop() {
        #expect(OriginatorCounter(UInt64.max).successor == nil)
        #expect(OriginatorCounter(UInt64.max - 1).successor?.value == UInt64.max)
    }

    @Test("timestamps", arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)), ("2023-05-02T09:00:00Z", 1_683_018_000), ("2024-02-29T23:59:59Z", 1_709_251_199),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func timestamps(text: String, seconds: Int64) throws {
        let timestamp = try #require(Timestamp(iso8601: text))
        #expect(timestamp.secondsSince1970 == seconds)
        #expect(timestamp.description == text)
    }

    @Test("bad timestamps", arguments: ["2023-02-29T00:00:00Z", "2023-13-01", "2023-05-02T24:00:00Z", "2023-05-02 09:00:00", "yesterday"])
    func badTimestamps(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }
}
