import AnchorCore
import Foundation
import GPFSimulator
import PropertyBased
import Testing
@testable import AnchorStore

/// Damaged or hostile bytes never crash, hang or load as something else.
@Suite("Hostile input to the store's readers")
struct HostileInputTests {
    static let snapshotBody: [UInt8] = {
        let estate = (try? StoreTests.demoEstate()) ?? Estate(ledger: Ledger(organisations: [], certificates: []), devices: DeviceTable())
        return SnapshotCodec.encode(estate)
    }()

    /// Applies seeded random damage: flipped bits, inserted and deleted bytes, a cut.
    static func damage(_ bytes: [UInt8], seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var damaged = bytes
        for _ in 0..<Int.random(in: 1...8, using: &generator) where !damaged.isEmpty {
            let position = Int.random(in: 0..<damaged.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: damaged[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            case 1: damaged.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            case 2: damaged.remove(at: position)
            default: damaged.removeLast(damaged.count - position)
            }
        }
        return damaged
    }

    @Test func damagedSnapshotBodiesThrowOrLoadButNeverCrash() async {
        await propertyCheck(count: 400, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let damaged = Self.damage(Self.snapshotBody, seed: seed)
            let outcome = damaged.withUnsafeBufferPointer { buffer in Result { () throws(JSONReadError) in try SnapshotCodec.decode(buffer) } }
            if case .failure(let error) = outcome {
                #expect(error.offset >= 0 && error.offset <= damaged.count)
            }
        }
    }

    @Test func damagedJournalsAreScannedWithoutCrashing() async throws {
        let (scratch, directory) = try StoreTests().makeStore()
        defer { scratch.cleanUp() }
        _ = try StoreTests().handBack(3, in: directory)
        let journal = try JournalFile.read(path: directory + "/journal.jsonl")
        await propertyCheck(count: 400, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let damaged = Self.damage(journal, seed: seed)
            if let scan = try? JournalScanner.scan(damaged, path: "journal.jsonl") {
                for record in scan.records { _ = try? ChangeRecordCoding.decode(record.payload) }
            }
        }
    }

    @Test func randomBytesNeverCrashTheReader() async {
        await propertyCheck(count: 500, input: Gen.uint8(in: 0...255).array(of: 0...200)) { bytes in
            _ = bytes.withUnsafeBufferPointer { buffer in
                var reader = JSONReader(buffer)
                return try? reader.readValue()
            }
        }
    }

    @Test func longStringsAndDeepNestingStayBounded() throws {
        let long = Array("\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 5_000_000) + Array("\"".utf8)
        let text = try long.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            var reader = JSONReader(buffer)
            return try reader.readString()
        }
        #expect(text.utf8.count == 5_000_000)
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONReadError.self) {
            try deep.withUnsafeBufferPointer { buffer throws(JSONReadError) in
                var reader = JSONReader(buffer)
                _ = try reader.readValue()
            }
        }
    }
}
