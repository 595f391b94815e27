import AnchorCore
import AnchorService
import AnchorStore
import Foundation

/// The demo estate behind the service, in memory.
enum ServiceFixture {
    static let now = Timestamp(iso8601: "2024-03-01T12:00:00Z")!
    static let nationalGridDevice = EUI64("00-DB-12-01-73-F7-8B-92")!

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled demo estate, loaded once.
    static let demo: Estate = {
        do {
            return try DemoData.load(from: repositoryRoot.appendingPathComponent("demo-data").path, now: now)
        } catch {
            fatalError("demo-data/ did not load: \(error)")
        }
    }()

    /// A service over a fresh in-memory copy of the demo estate, its clock fixed at ``now``.
    static func service(groupSize: Int = ServiceSettings.defaultGroupSize, workers: Int = 2) -> (EstateService, MemoryEstateStore) {
        let store = MemoryEstateStore(demo)
        return (EstateService(store: store, clock: .fixed(now), settings: ServiceSettings(workers: workers, groupSize: groupSize)), store)
    }

    /// SRV6.15.1 handing a device back to the ACB, as National Grid.
    static func handBack(_ device: EUI64) -> (Ledger) throws(RequestError) -> ServiceRequest {
        { ledger throws(RequestError) in
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device, replacementCertificates: try ledger.resolveCertificates("acb")))
        }
    }

    /// National Grid's devices, as `no=national-grid` selects them.
    static func nationalGridDevices(in estate: Estate) -> [EUI64] {
        let filter = DeviceFilter(terms: [.networkOperator("national-grid")])
        return estate.devices.filter { filter.matches($0, in: estate.ledger) }.map(\.id)
    }
}
