import AnchorCore
import Synchronization
import Testing

/// The recorded-counter table and the counter histories answer as a dictionary would, whether
/// they were read as columns or kept on disk, with what was recorded since on top.
@Suite("Recorded counters and counter histories")
struct CounterTablesTests {
    /// Histories held in an array, standing in for a snapshot's, counting the histories read.
    final class CountingHistories: StoredCounterHistories {
        private let devices: [EUI64]
        private let histories: [[CounterHistoryEntry]]
        private let reads = Atomic<Int>(0)

        init(_ histories: [EUI64: [CounterHistoryEntry]]) {
            let ascending = histories.sorted { $0.key < $1.key }
            devices = ascending.map(\.key)
            self.histories = ascending.map(\.value)
        }

        var historiesRead: Int { reads.load(ordering: .relaxed) }
        var count: Int { devices.count }
        func device(at position: Int) -> EUI64 { devices[position] }
        func position(of device: EUI64) -> Int? { devices.firstIndex(of: device) }
        func entries(at position: Int) -> [CounterHistoryEntry] {
            reads.add(1, ordering: .relaxed)
            return histories[position]
        }
        func hasSameHistories(as other: any StoredCounterHistories) -> Bool { other === self }
    }

    private static func device(_ number: UInt64) -> EUI64 { EUI64(rawValue: 0x00DB_1200_0000_0000 + number) }

    private static func entry(_ counter: UInt64) -> CounterHistoryEntry {
        CounterHistoryEntry(at: Timestamp(secondsSince1970: 1_700_000_000 + Int64(counter)), requestId: "request-\(counter)",
                            service: .updateSecurityCredentials, counter: OriginatorCounter(counter))
    }

    /// Every tenth device of 200 with one or two entries.
    private static let histories: [EUI64: [CounterHistoryEntry]] = {
        var histories: [EUI64: [CounterHistoryEntry]] = [:]
        for number in stride(from: UInt64(0), to: 200, by: 10) {
            histories[device(number)] = number % 20 == 0 ? [entry(number)] : [entry(number), entry(number + 1)]
        }
        return histories
    }()

    @Test func recordedCountersAnswerAsADictionaryWouldAfterRecordingMore() throws {
        var dictionary: [EUI64: OriginatorCounter] = [:]
        for number in stride(from: UInt64(0), to: 100, by: 3) { dictionary[Self.device(number)] = OriginatorCounter(number * 7) }
        let ascending = dictionary.sorted { $0.key < $1.key }
        var table = try #require(RecordedCounters(ascending: ascending.map(\.key), counters: ascending.map(\.value)))
        #expect(table == RecordedCounters(dictionary))
        // Some devices already in the columns, some new: before the first, between two, after the last.
        for (number, counter) in [(3, 1_000), (0, 5), (1, 6), (50, 7), (99, 8), (500, 9), (3, 1_001)] as [(UInt64, UInt64)] {
            dictionary[Self.device(number)] = OriginatorCounter(counter)
            table.record(OriginatorCounter(counter), for: Self.device(number))
        }
        #expect(table.count == dictionary.count)
        for number in 0..<600 as Range<UInt64> { #expect(table[Self.device(number)] == dictionary[Self.device(number)]) }
        #expect(table.map(\.device) == dictionary.keys.sorted())
        #expect(table.map(\.counter) == dictionary.sorted { $0.key < $1.key }.map(\.value))
        #expect(table.ascendingDevices == dictionary.keys.sorted())
        #expect(table == RecordedCounters(dictionary))
        #expect(table != RecordedCounters(dictionary.filter { $0.key != Self.device(500) }))
    }

    @Test(arguments: [[2, 1], [1, 1], [1, 2, 2, 3]] as [[UInt64]])
    func columnsOutOfOrderOrRepeatedAreRefused(numbers: [UInt64]) {
        let devices = numbers.map(Self.device)
        #expect(RecordedCounters(ascending: devices, counters: numbers.map { OriginatorCounter($0) }) == nil)
        #expect(RecordedCounters(ascending: [Self.device(1)], counters: []) == nil, "columns of different lengths")
    }

    @Test func storedHistoriesAreReadOnlyWhenAskedFor() {
        let stored = CountingHistories(Self.histories)
        let histories = CounterHistories(stored: stored)
        #expect(histories.count == Self.histories.count && !histories.isEmpty)
        #expect(stored.historiesRead == 0, "counting reads no history")
        #expect(histories[Self.device(20)] == Self.histories[Self.device(20)])
        #expect(histories[Self.device(21)] == nil)
        #expect(stored.historiesRead == 1, "a lookup reads that device's history only")
        #expect(histories == CounterHistories(stored: stored) && stored.historiesRead == 1, "the same stored histories compare without reading")
    }

    @Test func appendingKeepsTheStoredEntriesFirstAndIteratesInDeviceOrder() {
        let stored = CountingHistories(Self.histories)
        var histories = CounterHistories(stored: stored)
        var expected = Self.histories
        for (number, counter) in [(10, 500), (10, 501), (0, 502), (5, 503), (190, 504), (1_000, 505)] as [(UInt64, UInt64)] {
            histories.append(Self.entry(counter), for: Self.device(number))
            expected[Self.device(number), default: []].append(Self.entry(counter))
        }
        #expect(histories.count == expected.count)
        #expect(histories[Self.device(10)] == expected[Self.device(10)], "the stored entries, then the two appended")
        #expect(histories.map(\.device) == expected.keys.sorted())
        #expect(histories.map(\.entries) == expected.sorted { $0.key < $1.key }.map(\.value))
        #expect(histories == CounterHistories(expected))
        #expect(histories != CounterHistories(stored: stored), "what was appended counts")
        #expect(CounterHistories(expected) == histories, "in memory against stored, either way round")
    }
}
