import AnchorCore
import GPFSimulator
import SMKI
import Testing

/// A bulk run evaluates each group's requests on several workers, each as if after the ones
/// before it; applied in order, the changes must be exactly those of evaluating one at a time.
@Suite("Bulk requests evaluated on several workers")
struct SpeculationTests {
    typealias F = EstateFixture
    static let estate = try! SyntheticEstate.generate(
        over: Ledger(organisations: F.demoLikeOrganisations(), certificates: F.demoLikeCertificates()), count: 240, seed: 7)
    static let credentials = DemoCredentialsCache.credentials(for: estate.ledger)

    /// National Grid hands back every device (refused where it does not hold the cell), with an
    /// SRV6.21, which uses the ACB's counter too, among them.
    static func requests(in estate: Estate) -> [ServiceRequest] {
        var requests = estate.devices.prefix(120).map { device in
            ServiceRequest.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device.id, replacementCertificates: ["acb-ds", "acb-ka"]))
        }
        if let acbHeld = estate.devices.dropFirst(120).first(where: { $0.cells[.networkOperatorDS] == "acb-ds" }) {
            requests.insert(.requestHandover(HandoverRequest(supplier: acbHeld.supplier, device: acbHeld.id, networkOperator: "cadent")), at: 40)
        }
        return requests
    }

    /// Applies the requests as a bulk run does: evaluated in groups, applied in order.
    static func applyInTurn(_ requests: [ServiceRequest], to estate: inout Estate, workers: Int?, groupSize: Int = 50) throws -> [EstateChange] {
        var changes: [EstateChange] = []
        for start in stride(from: 0, to: requests.count, by: groupSize) {
            let group = Array(requests[start..<min(start + groupSize, requests.count)])
            if let workers {
                for speculation in estate.speculate(group, now: F.now, credentials: credentials, workers: workers) {
                    let change = try speculation.change(against: estate, now: F.now, credentials: credentials)
                    estate.apply(change)
                    changes.append(change)
                }
            } else {
                for request in group {
                    let change = try estate.evaluate(request, now: F.now, credentials: credentials)
                    estate.apply(change)
                    changes.append(change)
                }
            }
        }
        return changes
    }

    @Test("any number of workers gives the one-at-a-time result", arguments: [1, 2, 3, 8])
    func workersChangeNothing(workers: Int) throws {
        var sequential = Self.estate
        let expected = try Self.applyInTurn(Self.requests(in: sequential), to: &sequential, workers: nil)
        var parallel = Self.estate
        let changes = try Self.applyInTurn(Self.requests(in: parallel), to: &parallel, workers: workers)
        #expect(changes == expected)
        #expect(parallel == sequential)
        #expect(expected.contains { $0.ledger.request.outcome == .succeeded })
        #expect(expected.contains { $0.ledger.request.outcome == .rejected })
        #expect(expected.contains { $0.ledger.request.service == .requestHandover })
    }

    @Test func aCounterUsedMeanwhileMakesTheGroupEvaluateAgain() throws {
        let requests = Array(Self.requests(in: Self.estate).prefix(30))
        var estate = Self.estate
        let speculations = estate.speculate(requests, now: F.now, credentials: Self.credentials, workers: 2)
        // Another request of National Grid's lands before the group is applied: every counter moves by one.
        let other = try #require(estate.devices.last)
        estate.apply(try estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: other.id, replacementCertificates: ["acb-ds", "acb-ka"])), now: F.now, credentials: Self.credentials))
        var expected = estate
        var changes: [EstateChange] = []
        for speculation in speculations {
            let change = try speculation.change(against: estate, now: F.now, credentials: Self.credentials)
            estate.apply(change)
            changes.append(change)
        }
        let sequential = try Self.applyInTurn(requests, to: &expected, workers: nil)
        #expect(changes == sequential)
        let first = try #require(changes.first?.ledger.request.originatorCounter)
        #expect(first == OriginatorCounter(F.nationalGridLast + 2))
    }

    @Test func aDeviceNamedTwiceIsEvaluatedAfterItsFirstRequest() throws {
        let request = try #require(Self.requests(in: Self.estate).first { request in
            guard case .updateSecurityCredentials = request else { return false }
            return Self.estate.devices[request.device]?.cells[.networkOperatorDS] == "national-grid-ds"
        })
        var estate = Self.estate
        let changes = try Self.applyInTurn([request, request], to: &estate, workers: 2)
        #expect(changes.map(\.ledger.request.outcome) == [.succeeded, .rejected])
        #expect(changes.last?.ledger.request.reason == .notAuthorised)
    }
}
