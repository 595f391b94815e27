import AnchorCore
import GPFSimulator
import Testing

@Suite("Post-commissioning and counter-risk reports")
struct ReportTests {
    typealias F = EstateFixture
    typealias Verdict = PostCommissioningReport.Verdict

    static func time(_ text: String) -> Timestamp { Timestamp(iso8601: text) ?? Timestamp(secondsSince1970: 0) }

    /// Applies a lifecycle change as a journal replay would, whatever the rules say now.
    func replay(_ action: OrganisationAction, _ organisation: String, at: String, dccUser: Bool,
                revoking: [String] = [], in estate: inout Estate) {
        let certificates = revoking.compactMap { estate.ledger.certificate($0) }.map { certificate in
            var certificate = certificate
            certificate.revoked = true
            certificate.inRepository = false
            return certificate
        }
        estate.apply(LifecycleChange(
            record: LifecycleRecord(action: action, organisation: organisation, outcome: .succeeded, reason: nil, detail: "",
                                    devicesHoldingCertificates: 0, certificates: revoking, at: Self.time(at)),
            dccUser: dccUser, subscribed: true, certificates: certificates))
    }

    func row(_ report: PostCommissioningReport, _ device: EUI64) -> PostCommissioningReport.Row? {
        report.rows.first { $0.device == device }
    }

    @Test func theFixtureIsCompliantAtItsDeadlinesAndTotalsPerSupplier() throws {
        var estate = F.estate()
        // A hand-back after the deadline does not change what the cells held at it.
        _ = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: F.nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])),
            now: Self.time("2023-06-01T00:00:00Z"))
        let report = PostCommissioningReport(estate: estate, asOf: F.now)
        #expect(report.rows.map(\.device) == [F.nationalGridDevice, F.secondNationalGridDevice, F.acbDevice, F.cadentDevice])
        #expect(report.rows.allSatisfy { $0.verdict == .compliant && $0.reason == nil })
        #expect(row(report, F.nationalGridDevice)?.heldAtDeadline == "national-grid")
        #expect(row(report, F.nationalGridDevice)?.deadline == Self.time("2023-05-09T09:00:00Z"))
        #expect(row(report, F.acbDevice)?.heldAtDeadline == "dcc-acb")
        #expect(row(report, F.cadentDevice)?.heldAtDeadline == "cadent")
        #expect(report.totals == [
            .init(supplier: "brightwater", compliant: 3, pending: 0, nonCompliant: 0),
            .init(supplier: "heron", compliant: 1, pending: 0, nonCompliant: 0),
        ])
    }

    @Test func beforeTheDeadlineRowsArePendingAndBeforeCommissioningThereAreNone() {
        let estate = F.estate()
        let pending = PostCommissioningReport(estate: estate, asOf: Self.time("2023-05-05T00:00:00Z"))
        #expect(pending.rows.count == 4)
        #expect(pending.rows.allSatisfy { $0.verdict == .pending && $0.heldAtDeadline == nil })
        #expect(PostCommissioningReport(estate: estate, asOf: Self.time("2023-05-01T00:00:00Z")).rows.isEmpty)
    }

    @Test func everyNonComplianceReason() throws {
        var estate = F.estate()
        var certificates = estate.ledger.certificates + [
            Certificate(id: "ngn-ds", owner: "ngn", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "ngn-ka", owner: "ngn", keyUsage: .keyAgreement, inRepository: true),
        ]
        certificates.sort { $0.id < $1.id }
        estate.ledger = Ledger(organisations: estate.ledger.organisations, certificates: certificates)
        let ngnDevice = EUI64(rawValue: 0x00DB_1200_0000_0010)
        let emptyDevice = EUI64(rawValue: 0x00DB_1200_0000_0011)
        var empty = F.device(emptyDevice, networkOperator: ("acb-ds", "acb-ka"))
        empty.cells[.networkOperatorDS] = nil
        empty.cells[.networkOperatorKA] = nil
        estate.devices = DeviceTable(estate.devices + [F.device(ngnDevice, networkOperator: ("ngn-ds", "ngn-ka")), empty])

        // National Grid placed on the ACB device after commissioning, then ceased before the deadline.
        #expect(try estate.handOver(F.acbDevice, to: "national-grid").outcome == .succeeded)
        // Cadent placed on the second National Grid device, then Cadent's certificates revoked before the deadline.
        let early = Self.time("2023-05-03T00:00:00Z")
        _ = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: F.secondNationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])), now: early)
        _ = try estate.submit(.requestHandover(HandoverRequest(supplier: "brightwater", device: F.secondNationalGridDevice,
                                                               networkOperator: "cadent")), now: early)
        replay(.cease, "national-grid", at: "2023-05-04T00:00:00Z", dccUser: false, in: &estate)
        replay(.revoke, "cadent", at: "2023-05-04T00:00:00Z", dccUser: true, revoking: ["cadent-ds", "cadent-ka"], in: &estate)

        // The ACB device's handover above ran at the fixture's `now`, after the deadline: what the
        // cells held at the deadline is still the ACB's.
        let report = PostCommissioningReport(estate: estate, asOf: F.now)
        #expect(row(report, F.acbDevice)?.verdict == .compliant)
        #expect(row(report, ngnDevice)?.reason == .gnoCertificateAtCommissioning)
        #expect(row(report, ngnDevice)?.heldAtDeadline == "ngn")
        #expect(row(report, F.nationalGridDevice)?.reason == .gnoCertificateAtCommissioning)
        #expect(row(report, F.secondNationalGridDevice)?.reason == .gnoCertificateNotInRepository)
        #expect(row(report, F.secondNationalGridDevice)?.heldAtDeadline == "cadent")
        #expect(row(report, F.cadentDevice)?.reason == .gnoCertificateAtCommissioning)
        #expect(row(report, emptyDevice)?.reason == .noNetworkOperatorCertificate)
        #expect(report.rows.filter { $0.verdict == .nonCompliant }.count == 5)

        // Placed after commissioning for a GNO that was no DCC User at the deadline.
        var placed = F.estate()
        _ = try placed.submit(.requestHandover(HandoverRequest(supplier: "brightwater", device: F.acbDevice,
                                                               networkOperator: "national-grid")), now: early)
        replay(.cease, "national-grid", at: "2023-05-04T00:00:00Z", dccUser: false, in: &placed)
        let second = PostCommissioningReport(estate: placed, asOf: F.now)
        #expect(row(second, F.acbDevice)?.heldAtDeadline == "national-grid")
        #expect(row(second, F.acbDevice)?.reason == .gnoNotDccUser)
        // Before the cease, the same placement was compliant.
        let before = PostCommissioningReport(estate: placed, asOf: Self.time("2023-05-03T12:00:00Z"))
        #expect(row(before, F.acbDevice)?.verdict == .pending)
    }

    @Test func counterRiskFlagsRecordedCountersAboveTheACBAndUnknownFloors() throws {
        var estate = F.estate()
        let fresh = CounterRiskReport(estate: estate)
        #expect(fresh.rows.map(\.device) == [F.acbDevice])
        #expect(fresh.rows.first?.risk == .noRecordedCounter)
        #expect(fresh.rows.first?.formerNetworkOperator == nil)
        #expect(fresh.rows.first?.action == "no GNO in the log: nothing to do if as manufactured; if a GNO ever held it, set a known floor "
            + "first: anchordesk recovery --filter \(F.acbDevice) --replace-with acb --new-floor 0 --reason TEXT")
        #expect(fresh.rows.first?.nextGenerated?.value == F.acbGenerated)

        try estate.handBack(F.nationalGridDevice)
        _ = try estate.submit(.recovery(RecoveryRequest(device: F.secondNationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"],
                                                        newFloor: OriginatorCounter(5), reason: "test")))
        let report = CounterRiskReport(estate: estate)
        #expect(report.rows.map(\.device) == [F.nationalGridDevice, F.acbDevice])
        let handedBack = try #require(report.rows.first)
        #expect(handedBack.risk == .recordedAboveGenerated)
        #expect(handedBack.recordedCounter?.value == F.nationalGridLast + 1)
        #expect(handedBack.formerNetworkOperator == "national-grid")
        #expect(handedBack.action.contains("recorded + 1 = \(F.nationalGridLast + 2)"))
        #expect(handedBack.action.contains("--legacy-counters"))
        // The recovered device's recorded floor (5) is below the ACB's sequence: no risk.
        #expect(!report.rows.contains { $0.device == F.secondNationalGridDevice })
    }

    /// A store that names its unlogged GPFs holding the ACB's certificate apart (by an index,
    /// without their rows) gets the rows the whole estate gives, in device-ID order, with the
    /// unlogged GPFs before, between and after the devices it reads whole.
    @Test func unloggedGPFsNamedApartGiveTheRowsOfTheWholeEstate() throws {
        var whole = F.estate()
        try whole.handBack(F.nationalGridDevice)
        let acbHolder = try #require(whole.devices[F.acbDevice])
        for raw: UInt64 in [0x00DB_1200_0000_0000, 0x00DB_1200_0000_0002, 0x00DB_1200_0000_0004, 0x00DB_12FF_0000_0000] {
            var gpf = acbHolder
            gpf.id = EUI64(rawValue: raw)
            gpf.supplier = raw.isMultiple(of: 4) ? "heron-energy" : acbHolder.supplier
            whole.devices.upsert(gpf)
        }
        let expected = CounterRiskReport(estate: whole).rows
        let mentioned = Set(expected.filter { $0.formerNetworkOperator != nil || $0.recordedCounter != nil }.map(\.device))
        let unlogged = expected.filter { !mentioned.contains($0.device) }
            .map { CounterRiskReport.UnloggedGPF(device: $0.device, supplier: $0.supplier) }
        #expect(unlogged.count == 5 && !mentioned.isEmpty, "\(expected.map(\.device))")
        let named = Set(unlogged.map(\.device))
        let part = Estate(ledger: whole.ledger, devices: DeviceTable(whole.devices.filter { !named.contains($0.id) }))
        var rows: [CounterRiskReport.Row] = []
        CounterRiskReport.rows(estate: part, unlogged: unlogged) { rows.append($0) }
        #expect(rows == expected)
    }
}
