import AnchorCore
import Testing

@Suite("Device filters")
struct DeviceFilterTests {
    typealias F = EstateFixture

    func matching(_ expression: String) throws -> [EUI64] {
        let estate = F.estate()
        let filter = try DeviceFilter(parsing: expression)
        return estate.devices.filter { filter.matches($0, in: estate.ledger) }.map(\.id)
    }

    @Test func filtersByNetworkOperatorSupplierTypeAndText() throws {
        #expect(try matching("no=national-grid") == [F.nationalGridDevice, F.secondNationalGridDevice])
        #expect(try matching("supplier=heron") == [F.cadentDevice])
        #expect(try matching("type=esme") == [F.electricityMeter])
        #expect(try matching("no=dcc-acb type=GPF") == [F.acbDevice])
        #expect(try matching("00-00-00-03") == [F.acbDevice])
        #expect(try matching("0000000004") == [F.cadentDevice])
        #expect(try matching("").count == 5)
        #expect(try matching("counter").isEmpty)
    }

    @Test("bad filters are refused", arguments: ["colour=red", "no=", "type=meter", "hello", "\u{1B}[31m"])
    func badFilters(expression: String) {
        #expect(throws: RequestError.self) { try DeviceFilter(parsing: expression) }
    }
}
