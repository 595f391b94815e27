import AnchorCore
import GPFSimulator
import Testing

@Suite("The device index agrees with the filter")
struct DeviceIndexTests {
    static let expressions = [
        "", "no=national-grid", "no=dcc-acb", "supplier=brightwater-gas", "supplier=heron-energy no=cadent", "counter",
        "counter no=dcc-acb", "type=GPF", "type=ESME", "00DB12", "A", "7F", "no=nobody", "supplier=nobody 00",
        "no=national-grid supplier=kestrel-supply 0", "00-DB-12-0",
    ]

    @Test(arguments: expressions)
    func indexMatchesScanOnASyntheticEstate(expression: String) throws {
        let base = Ledger(organisations: EstateFixture.demoLikeOrganisations(), certificates: EstateFixture.demoLikeCertificates())
        let estate = try SyntheticEstate.generate(over: base, count: 5_000, seed: 7)
        let filter = try DeviceFilter(parsing: expression)
        let index = DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let scanned = estate.devices.indices.filter { filter.matches(estate.devices[$0], in: estate.ledger) }
        #expect(index.positions(matching: filter) == scanned)
    }

    @Test func updatesFollowAHandBack() throws {
        var estate = EstateFixture.estate()
        var index = DeviceIndex(devices: estate.devices, ledger: estate.ledger)
        let nationalGrid = try DeviceFilter(parsing: "no=national-grid")
        let counter = try DeviceFilter(parsing: "counter")
        #expect(index.positions(matching: nationalGrid).count == 2)
        try estate.handBack(EstateFixture.nationalGridDevice)
        let position = try #require(estate.devices.position(of: EstateFixture.nationalGridDevice))
        index.update(position: position, device: estate.devices[position], ledger: estate.ledger)
        #expect(index.positions(matching: nationalGrid).count == 1)
        #expect(index.positions(matching: counter) == [position])
    }

    @Test func syntheticEstatesAreDeterministicAndMixed() throws {
        let base = Ledger(organisations: EstateFixture.demoLikeOrganisations(), certificates: EstateFixture.demoLikeCertificates())
        let first = try SyntheticEstate.generate(over: base, count: 2_000, seed: 42)
        #expect(try SyntheticEstate.generate(over: base, count: 2_000, seed: 42) == first)
        #expect(try SyntheticEstate.generate(over: base, count: 2_000, seed: 43) != first)
        #expect(first.devices.count == 2_000)
        let index = DeviceIndex(devices: first.devices, ledger: first.ledger)
        let nationalGrid = index.positions(matching: try DeviceFilter(parsing: "no=national-grid")).count
        let acb = index.positions(matching: try DeviceFilter(parsing: "no=dcc-acb")).count
        #expect((450...750).contains(nationalGrid), "about 30 %: \(nationalGrid)")
        #expect((700...1100).contains(acb), "about 44 %: \(acb)")
        #expect(!first.ledger.recordedCounters.isEmpty)
        #expect(first.ledger.recordedCounters.ascendingDevices.allSatisfy { first.ledger.counterHistory[$0]?.count == 1 })
        // Every recorded device holds the ACB certificate, with its floor at the recorded counter.
        for (id, counter) in first.ledger.recordedCounters {
            let device = try #require(first.devices[id])
            #expect(device.cells[.networkOperatorDS] == "acb-ds")
            #expect(device.floors[.networkOperator] == counter)
        }
        #expect(throws: Never.self) { try first.validate() }
    }
}
