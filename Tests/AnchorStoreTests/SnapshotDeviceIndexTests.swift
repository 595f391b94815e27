import AnchorCore
import Foundation
import Testing
@testable import AnchorStore

/// The snapshot's device rows stay on disk, read through `snapshot.devices`, which is derived,
/// checked, and left unused (the rows read whole) whenever it does not fit.
@Suite("Snapshot devices: rows on disk, read through their index")
struct SnapshotDeviceIndexTests {
    let support = StoreTests()
    let asOf = Timestamp(secondsSince1970: 1_800_000_000)

    private func indexPath(_ directory: String) -> String { directory + "/" + SnapshotDeviceIndex.fileName }

    /// The store read with its rows in memory: the index moved aside for the open, then put back.
    private func readWhole(_ directory: String) throws -> Estate {
        let aside = directory + "/../devices-aside"
        try FileManager.default.moveItem(atPath: indexPath(directory), toPath: aside)
        defer { try? FileManager.default.moveItem(atPath: aside, toPath: indexPath(directory)) }
        let estate = try Store.open(at: directory, access: .readOnly).estate
        #expect(estate.devices.stored == nil)
        return estate
    }

    private func expectSameAnswers(_ lazy: Estate, _ whole: Estate) throws {
        #expect(lazy == whole)
        #expect(CounterRiskReport(estate: lazy).rows == CounterRiskReport(estate: whole).rows)
        #expect(PostCommissioningReport(estate: lazy, asOf: asOf).rows == PostCommissioningReport(estate: whole, asOf: asOf).rows)
        for expression in ["no=national-grid", "no=dcc-acb", "supplier=heron-energy", "type=ESME", "counter", "00DB12 no=cadent"] {
            let filter = try DeviceFilter(parsing: expression)
            #expect(DeviceIndex(devices: lazy.devices, ledger: lazy.ledger).positions(matching: filter)
                    == DeviceIndex(devices: whole.devices, ledger: whole.ledger).positions(matching: filter), "\(expression)")
        }
    }

    @Test func aStoreOpensWithItsRowsLeftInTheSnapshotAndTheJournalsDevicesInMemory() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        let handedBack = try support.handBack(3, in: directory)
        let lazy = try Store.open(at: directory, access: .readOnly).estate
        #expect(lazy.devices.stored != nil && lazy.devices.changedPositions.count == 3)
        let again = try Store.open(at: directory, access: .readOnly).estate
        #expect(lazy.devices.sharesRows(with: again.devices) && lazy == again, "two opens of one snapshot share its rows")
        for record in handedBack { #expect(lazy.devices[record.device]?.cells[.networkOperatorDS] == "acb-ds") }
        try expectSameAnswers(lazy, try readWhole(directory))
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .matches(devices: 221))
    }

    @Test func aMissingIndexIsReadAroundAndAWriterMakesItAgain() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        try FileManager.default.removeItem(atPath: indexPath(directory))
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .missing)
        let reader = try Store.open(at: directory, access: .readOnly)
        #expect(reader.estate.devices.stored == nil && reader.warnings.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: indexPath(directory)), "a reader writes nothing")
        let writer = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        writer.close()
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .matches(devices: 221))
        try expectSameAnswers(try Store.open(at: directory, access: .readOnly).estate, reader.estate)
    }

    @Test func compactionReadsTheDevicesFromTheNewSnapshot() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        _ = try support.handBack(3, in: directory)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let before = store.estate
        #expect(store.estate.devices.changedPositions.count == 3)
        try store.compact()
        #expect(store.estate.devices.stored != nil && store.estate.devices.changedPositions.isEmpty)
        #expect(store.estate == before)
        store.close()
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .matches(devices: 221))
        try expectSameAnswers(try Store.open(at: directory, access: .readOnly).estate, try readWhole(directory))
    }

    @Test func anIndexOfAnotherBodyIsStaleAndNotUsed() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        let old = try support.read(indexPath(directory))
        _ = try support.handBack(2, in: directory)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        try store.compact()
        store.close()
        try support.write(old, indexPath(directory))
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .stale)
        let reopened = try Store.open(at: directory, access: .readOnly).estate
        #expect(reopened.devices.stored == nil, "the rows are read, not the stale index")
        #expect(reopened.ledger.requests.count == 2 && reopened.devices.filter { $0.cells[.networkOperatorDS] == "acb-ds" }.count > 2)
    }

    /// The index's words with one changed and its own checksum made to match.
    private func forge(_ directory: String, _ change: (inout [UInt64]) -> Void) throws {
        let bytes = try support.read(indexPath(directory))
        var words = bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        change(&words)
        words[7] = UInt64(words.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[64...])) })
        try support.write(words.withUnsafeBytes { Array($0) }, indexPath(directory))
    }

    @Test func aForgedIndexThatIsNotWellFormedIsNotUsed() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        // Read into memory: the index it was read through is about to be written over in place.
        var whole = try Store.open(at: directory, access: .readOnly).estate
        whole.devices = DeviceTable(Array(whole.devices))
        let idsStart = 8 + Int(try support.read(indexPath(directory)).withUnsafeBytes { $0.load(fromByteOffset: 48, as: UInt64.self) })
        // Two IDs swapped: a lookup by binary search would miss them.
        try forge(directory) { words in words.swapAt(idsStart + 5, idsStart + 6) }
        let opened = try Store.open(at: directory, access: .readOnly).estate
        #expect(opened.devices.stored == nil)
        #expect(opened == whole)
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .wrong)
    }

    @Test func aForgedIndexThatIsWellFormedIsFoundByTheCheck() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        let bytes = try support.read(indexPath(directory))
        let count = Int(bytes.withUnsafeBytes { $0.load(fromByteOffset: 40, as: UInt64.self) })
        let supplierWords = Int(bytes.withUnsafeBytes { $0.load(fromByteOffset: 48, as: UInt64.self) })
        // One row's type column changed from GPF: filters would be misled until the check.
        try forge(directory) { words in words[8 + supplierWords + 2 * count + 3] ^= 1 << 48 }
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .wrong)
    }

    /// Words that do not fit an `Int` (helper 25's finding): the index is stale, never a crash.
    @Test(arguments: [
        [SnapshotDeviceIndex.magic, 1 << 63, 0, 0, 1, 0, 0, 0],
        [SnapshotDeviceIndex.magic, 10, 0, 0, 1, 0, 1, 0, UInt64.max],
        [SnapshotDeviceIndex.magic, 10, 0, 0, 1, 0, 1, 0, UInt64(Int.max) - 2],
    ])
    func headerWordsBeyondAnIntLeaveTheIndexUnused(words: [UInt64]) throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        try support.write(words.withUnsafeBytes { Array($0) }, indexPath(directory))
        #expect(try Store.open(at: directory, access: .readOnly).estate.devices.stored == nil)
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .stale)
        var log = try support.read(directory + "/" + SnapshotLogIndex.fileName)
        log.withUnsafeMutableBytes { $0.storeBytes(of: UInt64(1) << 63, toByteOffset: 8, as: UInt64.self) }
        try support.write(log, directory + "/" + SnapshotLogIndex.fileName)
        #expect(try Store.open(at: directory, access: .readOnly).warnings.contains { $0.hasPrefix(SnapshotLogIndex.fileName) })
    }

    @Test func aCommissioningNoRowCouldHoldIsNoneAndTheCheckFindsIt() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        let bytes = try support.read(indexPath(directory))
        let count = Int(bytes.withUnsafeBytes { $0.load(fromByteOffset: 40, as: UInt64.self) })
        let supplierWords = Int(bytes.withUnsafeBytes { $0.load(fromByteOffset: 48, as: UInt64.self) })
        // Forged with its checksum made to match: a time that would overflow when printed.
        try forge(directory) { words in
            for row in 0..<(count / 2) { words[8 + supplierWords + 3 * count + row] = UInt64(bitPattern: Int64.min + 1) }
        }
        let opened = try Store.open(at: directory, access: .readOnly).estate
        let rows = PostCommissioningReport(estate: opened, asOf: asOf).rows
        #expect(!rows.isEmpty && rows.allSatisfy { $0.commissionedAt.description.count == 20 }, "every time printable")
        #expect(opened.devices.inventoryEntry(at: 0).commissionedAt == nil)
        #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .wrong)
    }
}
