import AnchorCore
import AnchorService
import AnchorStore
import Testing

/// The DSP's use cases through ``EstateService`` over the in-memory store: the same code the
/// CLI, the console and the DUIS server call.
@Suite("The service's use cases")
struct ServiceUseCaseTests {
    typealias F = ServiceFixture

    @Test func theStoryRecordsTheHandBackCounterAndTheHandoverUsesOneAboveIt() throws {
        let (service, store) = F.service()
        let session = try service.openSession()
        defer { session.close() }
        let handBack = try session.submit(F.handBack(F.nationalGridDevice))
        #expect(handBack.record.outcome == .succeeded)
        let recorded = try #require(session.estate.ledger.recordedCounters[F.nationalGridDevice])
        #expect(recorded >= handBack.record.originatorCounter)
        #expect(store.committedRecords == 1)
        let handover = try session.submit { _ throws(RequestError) in
            .requestHandover(HandoverRequest(supplier: "heron-energy", device: F.nationalGridDevice, networkOperator: "cadent"))
        }
        #expect(handover.record.outcome == .succeeded)
        #expect(handover.record.originatorCounter > recorded)
        #expect(store.estate.devices[F.nationalGridDevice]?.cells[.networkOperatorDS] == "cadent-ds")
        #expect(handBack.exchanges.count == 1 && handBack.exchanges[0].response != nil)
    }

    @Test func badInputIsNotLoggedAndChangesNothing() throws {
        let (service, store) = F.service()
        let session = try service.openSession()
        defer { session.close() }
        let unknown = EUI64(rawValue: 0x0102_0304_0506_0708)
        do {
            _ = try session.submit { _ throws(RequestError) in
                .requestHandover(HandoverRequest(supplier: "heron-energy", device: unknown, networkOperator: "cadent"))
            }
            Issue.record("an unknown device was accepted")
        } catch {
            guard case .request(.unknownDevice) = error else {
                Issue.record("\(error)")
                return
            }
        }
        #expect(store.committedRecords == 0)
        #expect(store.estate == F.demo)
    }

    @Test func aFailedWriteIsNotAcknowledgedAndNothingOfItRemains() throws {
        let (service, store) = F.service()
        store.failNextFlush = StoreError(code: .io, message: "disk full")
        let session = try service.openSession()
        defer { session.close() }
        do {
            _ = try session.submit(F.handBack(F.nationalGridDevice))
            Issue.record("a failed write was acknowledged")
        } catch {
            guard case .notAcknowledged(let failure, let device) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(failure.code == .io && device == F.nationalGridDevice)
        }
        #expect(store.estate == F.demo)
        // The writer refuses further work until it is reopened.
        #expect(throws: ServiceError.self) { try session.submit(F.handBack(F.nationalGridDevice)) }
    }

    @Test func bulkGroupsAreDurableBeforeTheyAreReportedAndAStopKeepsWhatIsDone() throws {
        let (service, store) = F.service(groupSize: 7)
        let session = try service.openSession()
        defer { session.close() }
        let devices = F.nationalGridDevices(in: session.estate)
        let national = try #require(session.estate.ledger.organisation("national-grid"))
        let acb = try session.estate.ledger.resolveCertificates("acb")
        var durableAtReport: [Int] = []
        let result = try session.bulk(devices, signer: national, request: { device in
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(sender: "national-grid", device: device, replacementCertificates: acb))
        }, afterGroup: { records, tally in
            durableAtReport.append(store.committedRecords)
            #expect(records.count == 7)
            return tally.done < 21
        })
        #expect(result.stopped && result.failure == nil)
        #expect(result.tally.done == 21 && result.tally.succeeded == 21)
        #expect(durableAtReport == [7, 14, 21])
        #expect(store.committedRecords == 21)
    }

    @Test func aFailedGroupStopsTheRunAndCountsOnlyWhatIsDurable() throws {
        let (service, store) = F.service(groupSize: 5)
        let session = try service.openSession()
        defer { session.close() }
        let devices = Array(F.nationalGridDevices(in: session.estate).prefix(12))
        let acb = try session.estate.ledger.resolveCertificates("acb")
        var groups = 0
        let result = try session.bulk(devices, signer: nil, request: { device in
            .updateSecurityCredentials(UpdateSecurityCredentialsRequest(sender: "national-grid", device: device, replacementCertificates: acb))
        }, afterGroup: { _, _ in
            groups += 1
            store.failNextFlush = StoreError(code: StoreError.Code.io, message: "disk full")
            return true
        })
        #expect(groups == 1)
        #expect(result.tally.done == 5)
        #expect(store.committedRecords == 5)
        guard case .store(let failure)? = result.failure else {
            Issue.record("\(String(describing: result.failure))")
            return
        }
        #expect(failure.code == .io)
    }

    @Test func aSecondWriterWaitsForTheFirstAndIsRefusedAfterTheTimeout() throws {
        let (service, _) = F.service()
        let first = try service.openSession()
        defer { first.close() }
        #expect(throws: ServiceError.self) { try service.openSession(lockTimeout: .milliseconds(50)) }
    }

    @Test func theClockIsReadFromTheEnvironmentOnceAndInOneWay() throws {
        #expect(try ServiceClock.from(environment: ["ANCHORDESK_NOW": "2025-01-02T03:04:05Z"]).now() == Timestamp(iso8601: "2025-01-02T03:04:05Z"))
        #expect(throws: ServiceError.self) { try ServiceClock.from(environment: ["ANCHORDESK_NOW": "yesterday"]) }
        let system = try ServiceClock.from(environment: ["ANCHORDESK_NOW": ""]).now()
        #expect(system.secondsSince1970 > 1_700_000_000)
    }

    @Test func aCeaseWithHandBackRunsAsOneJob() throws {
        let (service, store) = F.service(groupSize: 25)
        let session = try service.openSession()
        defer { session.close() }
        let pending = F.nationalGridDevices(in: session.estate).count
        var reports: [Int] = []
        let outcome = session.perform(.lifecycle(LifecycleDraft(action: .cease, organisation: "national-grid", handBack: true,
                                                               confirmedDevices: pending))) { progress in
            reports.append(progress.done)
            return true
        }
        #expect(outcome.failure == nil, "\(String(describing: outcome.failure))")
        #expect(outcome.bulk?.done == pending && outcome.bulk?.succeeded == pending)
        #expect(outcome.lifecycle?.outcome == .succeeded)
        #expect(reports.last == pending)
        #expect(store.committedRecords == pending + 1)
        #expect(F.nationalGridDevices(in: store.estate).isEmpty)
    }
}
