import AnchorCore
import GBCS
import GPFSimulator
import SMKI
import Testing

/// Future-dated SRV6.15.1 (issue: scheduled departures): the device acknowledges, keeps the
/// command, executes it when its clock reaches the execution time, and reports in an alert;
/// the DCC records the counter from the 0x8F66 alert and from nothing earlier.
@Suite("Scheduled departures: future-dated hand-backs and their alerts")
struct ScheduledDepartureTests {
    typealias F = EstateFixture
    static let due = F.now.adding(days: 2)
    static let afterDue = due.adding(days: 1)

    @Test func aScheduledHandBackIsRecordedFromItsAlertAndTheHandoverThenPasses() throws {
        var estate = F.estate()
        let device = F.nationalGridDevice
        let scheduled = try estate.scheduleHandBack(device, at: Self.due)
        #expect(scheduled.outcome == .scheduled, "\(scheduled.detail)")
        #expect(scheduled.reason == nil)
        // Acknowledged only: nothing replaced, nothing recorded, the device holds the command.
        #expect(estate.networkOperatorCell(of: device) == "ng-ds")
        #expect(estate.ledger.recordedCounters[device] == nil)
        #expect(estate.devices[device]?.pending?.dueAt == Self.due)
        #expect(estate.ledger.pendingCommand(for: device)?.requestId == scheduled.requestId)
        #expect(estate.ledger.schedule.map(\.event) == [.acknowledged])

        // Before the due time the device does nothing.
        #expect(estate.alertArrival(from: device, now: Self.due.adding(days: -1), credentials: F.credentials(estate)) == nil)
        // SRV6.21 is refused while the hand-back is pending.
        let early = try estate.handOver(device)
        #expect(early.reason == .handBackPending, "\(early.detail)")

        let processed = try estate.deliverDueAlerts(now: Self.afterDue)
        #expect(processed.map(\.event) == [.executed])
        let counter = OriginatorCounter(F.nationalGridLast + 1)
        #expect(processed.first?.recordedCounter == counter)
        #expect(estate.ledger.recordedCounters[device] == counter)
        #expect(estate.ledger.counterHistory[device]?.map(\.requestId) == [scheduled.requestId])
        #expect(estate.networkOperatorCell(of: device) == "acb-ds")
        #expect(estate.devices[device]?.pending == nil)
        #expect(estate.ledger.pendingCommand(for: device) == nil)

        let handover = try estate.handOver(device)
        #expect(handover.outcome == .succeeded, "\(handover.detail)")
        #expect(handover.originatorCounter.value == counter.value + 1)
    }

    @Test func aHandBackThatFailsWhenDueRecordsNothingAndTheReportShowsIt() throws {
        var estate = F.estate()
        let device = F.nationalGridDevice
        try estate.scheduleHandBack(device, at: Self.due)
        // An intervening immediate SRV6.15.1 from the GNO (its own certificates again) moves the floor above the scheduled counter.
        let intervening = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: device, replacementCertificates: ["ng-ds", "ng-ka"])))
        #expect(intervening.outcome == .succeeded, "\(intervening.detail)")

        let processed = try estate.deliverDueAlerts(now: Self.afterDue)
        #expect(processed.map(\.event) == [.failed])
        #expect(processed.first?.detail.contains("0x8F67") == true)
        #expect(estate.ledger.recordedCounters[device] == nil)
        #expect(estate.networkOperatorCell(of: device) == "ng-ds")
        let rows = CounterRiskReport(estate: estate).rows.filter { $0.device == device }
        #expect(rows.map(\.risk) == [.failedHandBack])
        #expect(try estate.handOver(device).reason == .notAuthorised)
    }

    @Test func aCancelledHandBackChangesNothingOnTheDeviceOrInTheRecords() throws {
        var estate = F.estate()
        let device = F.nationalGridDevice
        let before = try #require(estate.devices[device])
        try estate.scheduleHandBack(device, at: Self.due)
        let cancel = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"], execution: .cancelScheduled)))
        #expect(cancel.outcome == .succeeded, "\(cancel.detail)")
        #expect(estate.ledger.schedule.map(\.event) == [.acknowledged, .cancelled])
        #expect(estate.ledger.pendingCommand(for: device) == nil)

        #expect(try estate.deliverDueAlerts(now: Self.afterDue).isEmpty)
        let after = try #require(estate.devices[device])
        #expect(after.cells == before.cells)
        #expect(after.pending == nil)
        #expect(estate.ledger.recordedCounters[device] == nil)
        #expect(estate.ledger.counterHistory[device] == nil)
        #expect(estate.ledger.alerts.isEmpty)
        // Cancelling again: nothing is scheduled.
        let again = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"], execution: .cancelScheduled)))
        #expect(again.reason == .nothingScheduled)
    }

    @Test func anExecutionTimeNotInTheFutureIsBadInputAndASecondScheduleIsRefused() throws {
        var estate = F.estate()
        let device = F.nationalGridDevice
        #expect(throws: RequestError.self) { try estate.scheduleHandBack(device, at: F.now) }
        #expect(estate.ledger.requests.isEmpty)
        try estate.scheduleHandBack(device, at: Self.due)
        #expect(try estate.scheduleHandBack(device, at: Self.afterDue).reason == .handBackPending)
    }

    @Test func anAlertNotSignedByTheDeviceIsNotBelievedAndTheHandBackStaysPending() throws {
        var estate = F.estate()
        let device = F.nationalGridDevice
        try estate.scheduleHandBack(device, at: Self.due)
        let credentials = F.credentials(estate)
        var arrival = try #require(estate.alertArrival(from: device, now: Self.afterDue, credentials: credentials))
        // Re-sign the alert with another device's key: a forgery the DCC must not believe.
        var message = try GBCSMessage.decode(arrival.alert.bytes)
        var block = message.block
        let forger = credentials.deviceKeys.signingKey(for: F.acbDevice)
        block.signature = .ecdsa(Array(try forger.signature(for: block.signedBytes).rawRepresentation))
        message.block = block
        arrival.alert.bytes = block.encoded
        estate.apply(arrival)
        let change = estate.processing(arrival.alert, now: Self.afterDue, credentials: credentials)
        estate.apply(change)
        #expect(change.record.event == .unverified)
        #expect(change.recorded == nil)
        #expect(estate.ledger.recordedCounters[device] == nil)
        #expect(estate.ledger.hasProcessed(alert: arrival.alert.key))
        #expect(estate.ledger.pendingCommand(for: device) != nil, "the DCC still waits for a verified alert")
    }

    @Test func theSimulatedAlertHasTheShapeOfDCCsReferenceAlert() throws {
        var estate = F.estate()
        let device = F.nationalGridDevice
        let scheduled = try estate.scheduleHandBack(device, at: Self.due)
        let arrival = try #require(estate.alertArrival(from: device, now: Self.afterDue, credentials: F.credentials(estate)))
        let message = try GBCSMessage.decode(arrival.alert.bytes)
        // As in CS02bSupplierBySupplier_6.15.1_8F66_FUTURE_DATED_SUCCESS_ALERT: CRA 3, from the
        // device to the command's originator, no header date-time, message code 0x00CB.
        #expect(message.block.cra == .alert)
        #expect(message.block.originator == device && message.block.recipient == F.eui(0x31))
        #expect(message.block.dateTime == nil)
        #expect(message.block.messageCode == 0x00CB)
        guard case .updateSecurityCredentialsAlert(let payload) = message.payload else { Issue.record("not an alert"); return }
        #expect(payload.alertCode == 0x8F66)
        #expect(payload.executionDateTime == Self.due.generalizedTime)
        #expect(payload.outcome.authorisingSequenceNumber == scheduled.originatorCounter.value)
        #expect(payload.outcome.outcomes.map(\.status) == [0, 0])
    }

    @Test func anImmediateHandBackMakesAStaleScheduleHarmlessAndTheHandoverProceeds() throws {
        var estate = F.estate()
        let device = F.nationalGridDevice
        try estate.scheduleHandBack(device, at: Self.due)
        let immediate = try estate.handBack(device)
        #expect(immediate.outcome == .succeeded)
        #expect(!CounterRiskReport(estate: estate).rows.contains { $0.device == device && $0.risk == .scheduledHandBack })
        // Placing the scheduled command's own sender again would let it execute: refused.
        #expect(try estate.handOver(device, to: "national-grid").reason == .handBackPending)
        let handover = try estate.handOver(device)
        #expect(handover.outcome == .succeeded, "\(handover.detail)")
        // When due, the stale command fails: its signer's certificate is no longer in the cell.
        let processed = try estate.deliverDueAlerts(now: Self.afterDue)
        #expect(processed.map(\.event) == [.failed])
        #expect(estate.networkOperatorCell(of: device) == "cadent-ds")
    }

    @Test func aFailedAlertSaysTheFloorMovedAndTheReportNamesTheFormerGNO() throws {
        var estate = F.estate()
        try estate.scheduleHandBack(F.nationalGridDevice, at: Self.due)
        try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: F.nationalGridDevice, replacementCertificates: ["ng-ds", "ng-ka"])))
        try estate.scheduleHandBack(F.secondNationalGridDevice, at: Self.due)
        let processed = try estate.deliverDueAlerts(now: Self.afterDue)
        let failed = try #require(processed.first { $0.device == F.nationalGridDevice })
        #expect(failed.detail.contains("its Network Operator floor was then"), "\(failed.detail)")
        // The executed one is in the history: the report knows who held the cell before the ACB.
        let history = ComplianceHistory(ledger: estate.ledger)
        #expect(history.formerNetworkOperator(of: F.secondNationalGridDevice) == "national-grid")
        let holder = history.networkOperatorHolder(of: try #require(estate.devices[F.secondNationalGridDevice]).inventoryEntry, at: Self.afterDue)
        #expect(holder == "dcc-acb")
    }

    @Test func aRefusedRequestUsesUpItsCounterSoTheNextIsNotADuplicate() throws {
        var estate = F.estate()
        let refused = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "cadent", device: F.nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])))
        #expect(refused.reason == .notAuthorised)
        let next = try estate.submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "cadent", device: F.nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])))
        #expect(next.reason == .notAuthorised, "\(next.detail)")
        #expect(next.requestId != refused.requestId)
        #expect(try estate.handOver(F.nationalGridDevice, supplier: "heron").reason == .notAuthorised)
        let supplierNext = try estate.handOver(F.nationalGridDevice, supplier: "heron")
        #expect(supplierNext.reason == .notAuthorised, "not duplicate-request: \(supplierNext.detail)")
    }

    @Test func theCancellationDateTimeCannotBeScheduled() throws {
        var estate = F.estate()
        #expect(throws: RequestError.self) { try estate.scheduleHandBack(F.nationalGridDevice, at: CommandExecution.cancellationTime) }
        #expect(CommandExecution.cancellationTime.generalizedTime == CS02bCommandPayload.cancellationDateTime)
    }

    @Test func generalizedTimeRoundTripsAndRefusesOtherForms() {
        #expect(Timestamp(iso8601: "2030-01-15T00:00:00Z")?.generalizedTime == "20300115000000Z")
        #expect(Timestamp(generalizedTime: "20300115000000Z") == Timestamp(iso8601: "2030-01-15T00:00:00Z"))
        for bad in ["20300115000000", "2030011500000Z", "20301315000000Z", "2030-01-15T00:00:00Z", "20300115000000.5Z"] {
            #expect(Timestamp(generalizedTime: bad) == nil, "\(bad)")
        }
    }
}

extension EstateFixture {
    static func credentials(_ estate: Estate) -> EstateCredentials { DemoCredentialsCache.credentials(for: estate.ledger) }
}

extension Estate {
    @discardableResult
    mutating func scheduleHandBack(_ device: EUI64, at time: Timestamp) throws(RequestError) -> RequestRecord {
        try submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"], execution: .at(time))))
    }

    /// Lets every device's clock reach `now`, applying each arrival and then each processed alert.
    mutating func deliverDueAlerts(now: Timestamp) throws -> [ScheduleRecord] {
        let credentials = EstateFixture.credentials(self)
        for device in devicesWithDueCommands(at: now) {
            if let arrival = alertArrival(from: device, now: now, credentials: credentials) { apply(arrival) }
        }
        var processed: [ScheduleRecord] = []
        for alert in ledger.unprocessedAlerts {
            let change = processing(alert, now: now, credentials: credentials)
            apply(change)
            processed.append(change.record)
        }
        return processed
    }
}
