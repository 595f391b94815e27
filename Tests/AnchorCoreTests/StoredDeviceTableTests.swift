import AnchorCore
import Synchronization
import Testing

/// A device table over rows kept outside memory reads a row only when its device is asked for,
/// and keeps what changed since in memory.
@Suite("A device table over stored rows")
struct StoredDeviceTableTests {
    /// Rows held in an array, standing in for a snapshot's, counting the rows read.
    final class CountingRows: StoredDeviceRows {
        private let devices: [Device]
        let cellSets: [TrustAnchorCells]
        let suppliers: [String]
        private let cellSetAt: [Int]
        private let reads = Atomic<Int>(0)

        init(_ devices: [Device]) {
            self.devices = devices
            var cellSets: [TrustAnchorCells] = []
            var suppliers: [String] = []
            cellSetAt = devices.map { device in
                if let known = cellSets.firstIndex(of: device.cells) { return known }
                cellSets.append(device.cells)
                return cellSets.count - 1
            }
            for device in devices where !suppliers.contains(device.supplier) { suppliers.append(device.supplier) }
            self.cellSets = cellSets
            self.suppliers = suppliers
        }

        var rowsRead: Int { reads.load(ordering: .relaxed) }
        var count: Int { devices.count }
        func id(at position: Int) -> EUI64 { devices[position].id }
        func device(at position: Int) -> Device {
            reads.add(1, ordering: .relaxed)
            return devices[position]
        }
        func columns(at position: Int) -> StoredDeviceColumns {
            let device = devices[position]
            return StoredDeviceColumns(cellSet: cellSetAt[position], supplier: suppliers.firstIndex(of: device.supplier)!, type: device.type,
                                       commissionedAt: device.commissionedAt)
        }
        func forEachColumns(_ body: (Int, StoredDeviceColumns) -> Void) {
            for position in devices.indices { body(position, columns(at: position)) }
        }
        func hasSameRows(as other: any StoredDeviceRows) -> Bool { other === self }
        var positionsWithScheduling: [Int] {
            devices.indices.filter { devices[$0].pending != nil || devices[$0].lastAlertCounter != nil }
        }
    }

    private static func synthetic() throws -> Estate {
        let base = Ledger(organisations: EstateFixture.demoLikeOrganisations(), certificates: EstateFixture.demoLikeCertificates())
        return try SyntheticEstate.generate(over: base, count: 5_000, seed: 7)
    }

    @Test(arguments: DeviceIndexTests.expressions)
    func filtersReadNoRow(expression: String) throws {
        let estate = try Self.synthetic()
        let rows = CountingRows(Array(estate.devices))
        let stored = DeviceTable(stored: rows)
        let filter = try DeviceFilter(parsing: expression)
        let index = DeviceIndex(devices: stored, ledger: estate.ledger)
        #expect(index.positions(matching: filter) == DeviceIndex(devices: estate.devices, ledger: estate.ledger).positions(matching: filter))
        #expect(stored.position(of: estate.devices[4_321].id) == 4_321)
        #expect(rows.rowsRead == 0, "the index and lookups by ID come from the columns")
        #expect(stored[4_321] == estate.devices[4_321] && rows.rowsRead == 1)
    }

    @Test func aChangedDeviceIsKeptInItsPlaceAndIndexedAsItIsNow() throws {
        let estate = try Self.synthetic()
        let rows = CountingRows(Array(estate.devices))
        var stored = DeviceTable(stored: rows)
        var changed = estate.devices[10]
        changed.supplier = "kestrel-supply"
        changed.cells[.networkOperatorDS] = "cadent-ds"
        stored.upsert(changed)
        #expect(stored.stored != nil && stored.changedPositions == [10] && stored.count == estate.devices.count)
        #expect(stored[10] == changed && stored[changed.id] == changed)
        var held = estate.devices
        held.upsert(changed)
        #expect(stored == held)
        let index = DeviceIndex(devices: stored, ledger: estate.ledger)
        let cadent = try DeviceFilter(parsing: "no=cadent supplier=kestrel-supply")
        #expect(index.positions(matching: cadent) == DeviceIndex(devices: held, ledger: estate.ledger).positions(matching: cadent))
        #expect(index.positions(matching: cadent).contains(10))
        var scheduled = changed
        scheduled.pending = PendingCommand(command: [1, 2, 3], dueAt: Timestamp(secondsSince1970: 2))
        stored.upsert(scheduled)
        #expect(stored.scheduledDevices { _ in true } == [scheduled], "a changed device's command is found though its row has none")
    }

    /// The order a sort gives, worked out plainly: each device's key compared, ties by position.
    private static func plainOrder(_ estate: Estate, _ rows: [Int32], _ sort: DeviceSort) -> [Int32] {
        let ledger = estate.ledger
        func key(_ device: Device) -> String {
            switch sort.column! {
            case .id: device.id.description
            case .type: device.type.rawValue
            case .supplier: device.supplier
            case .networkOperator: DeviceList.networkOperatorOwner(device, ledger) ?? ""
            case .recordedCounter: ledger.recordedCounters[device.id].map { String(repeating: "0", count: 20 - "\($0)".count) + "\($0)" } ?? ""
            case .lastRequest: ledger.lastRequest(for: device.id).map { "\($0.service.rawValue) \($0.outcome.rawValue) \($0.reason?.rawValue ?? "")" } ?? ""
            }
        }
        let keyed: [(key: String, row: Int32)] = rows.map { (key(estate.devices[Int($0)]), $0) }
        let ordered = keyed.sorted { lhs, rhs in
            if lhs.key != rhs.key { return sort.ascending ? lhs.key < rhs.key : rhs.key < lhs.key }
            return lhs.row < rhs.row
        }
        return ordered.map(\.row)
    }

    @Test(arguments: ["", "no=dcc-acb"])
    func sortsReadNoRowAndOrderAsAPlainSortDoes(expression: String) throws {
        let held = try Self.synthetic()
        var estate = held
        let rows = CountingRows(Array(held.devices))
        estate.devices = DeviceTable(stored: rows)
        let filter = try DeviceFilter(parsing: expression)
        let index = DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let unsorted = DeviceList.rows(estate, index: index, filter: filter, sort: DeviceSort())
        for column in DeviceColumn.allCases {
            for ascending in [true, false] {
                let sort = DeviceSort(column: column, ascending: ascending)
                #expect(DeviceList.rows(estate, index: index, filter: filter, sort: sort) == Self.plainOrder(held, unsorted, sort), "\(column) \(ascending)")
            }
        }
        #expect(rows.rowsRead == 0)
    }

    @Test func tablesOverTheSameRowsCompareOnlyWhatChanged() throws {
        let estate = try Self.synthetic()
        let rows = CountingRows(Array(estate.devices))
        let plain = DeviceTable(stored: rows)
        var same = plain
        same.upsert(estate.devices[7])
        var other = plain
        var changed = estate.devices[7]
        changed.supplier = "kestrel-supply" == changed.supplier ? "heron-energy" : "kestrel-supply"
        other.upsert(changed)
        let before = rows.rowsRead
        #expect(plain == same && same == plain, "a device put back as its row holds it")
        #expect(plain != other && other != same)
        #expect(rows.rowsRead - before <= 8, "only the changed position is read")
        #expect(plain.sharesRows(with: other) && !plain.sharesRows(with: estate.devices))
        #expect(plain == estate.devices && other != estate.devices)
    }

    @Test func aNewDeviceReadsTheRowsIntoMemoryInOrder() throws {
        let estate = try Self.synthetic()
        var stored = DeviceTable(stored: CountingRows(Array(estate.devices)))
        var added = estate.devices[0]
        added.id = EUI64(rawValue: estate.devices[0].id.rawValue + 1)
        #expect(stored[added.id] == nil)
        stored.upsert(added)
        var held = estate.devices
        held.upsert(added)
        #expect(stored.stored == nil && stored.count == estate.devices.count + 1)
        #expect(stored == held && stored[1] == added)
    }
}
