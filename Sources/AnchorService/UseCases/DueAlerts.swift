import AnchorCore
import AnchorStore
import GPFSimulator
import SMKI

/// What one ``EstateWriter/deliverDueAlerts(now:credentials:groupSize:arrived:processed:)`` did.
public struct AlertDeliveryReport: Equatable, Sendable {
    /// Alerts that arrived from devices whose future-dated command fell due.
    public var arrived = 0
    /// Alerts processed (this run's and any left unprocessed by an earlier one).
    public var processed: [ScheduleRecord] = []

    /// Nothing arrived or was processed yet.
    public init() {}

    /// Whether anything happened.
    public var isEmpty: Bool { arrived == 0 && processed.isEmpty }

    /// `alerts: N arrived; M processed: a executed (r counters recorded), f failed, u unverified`.
    public var summary: String {
        let count = { (event: ScheduleRecord.Event) in processed.filter { $0.event == event }.count }
        let recorded = processed.filter { $0.recordedCounter != nil }.count
        return "alerts: \(arrived) arrived; \(processed.count) processed: \(count(.executed)) executed "
            + "(\(recorded) counters recorded), \(count(.failed)) failed, \(count(.unverified)) unverified"
    }
}

extension EstateWriter {
    /// Whether anything is due: a device's future-dated command at `now`, or an alert that arrived and was not processed.
    public func hasDueAlertWork(at now: Timestamp) throws(StoreError) -> Bool {
        let work = try dueAlertWork(at: now)
        return !work.due.isEmpty || !work.waiting.isEmpty
    }

    /// Lets the devices' clocks reach `now` and processes what they report, exactly once.
    ///
    /// Two durable steps: first each due device executes its command and its alert arrives
    /// (the device's new state and the alert's bytes are committed, a group of devices at a
    /// time); then every unprocessed alert is verified and the northbound rule applied
    /// (committed the same way). A crash between the steps leaves alerts that arrived but were
    /// not processed; the next call processes them, and an alert already processed is never
    /// processed again.
    /// - Parameters:
    ///   - arrived: called once the arrivals are durable, with how many arrived (for progress).
    ///   - processed: called after each durable group of processed alerts, with that group.
    /// - Throws: `StoreError` when a write fails; what was flushed before stays.
    @discardableResult
    public func deliverDueAlerts(
        now: Timestamp, credentials: EstateCredentials, groupSize: Int = 500, arrived: (Int) -> Void = { _ in },
        processed: ([ScheduleRecord]) -> Void = { _ in }
    ) throws(StoreError) -> AlertDeliveryReport {
        var report = AlertDeliveryReport()
        let groupSize = max(1, groupSize)
        let due = try dueAlertWork(at: now).due
        for start in stride(from: 0, to: due.count, by: groupSize) {
            let group = Array(due[start..<min(start + groupSize, due.count)])
            try prepare(devices: group, counterOwners: [])
            for device in group {
                guard let arrival = estate.alertArrival(from: device, now: now, credentials: credentials) else { continue }
                try stage(arrival)
                report.arrived += 1
            }
            try flush()
        }
        arrived(report.arrived)
        let waiting = try dueAlertWork(at: now).waiting
        for start in stride(from: 0, to: waiting.count, by: groupSize) {
            let devices = Array(waiting[start..<min(start + groupSize, waiting.count)])
            try prepare(devices: devices, counterOwners: [])
            let inGroup = Set(devices)
            var group: [ScheduleRecord] = []
            for alert in estate.ledger.unprocessedAlerts where inGroup.contains(alert.device) {
                let change = estate.processing(alert, now: now, credentials: credentials)
                try stage(change)
                group.append(change.record)
            }
            try flush()
            report.processed += group
            processed(group)
        }
        return report
    }
}

extension ServiceSession {
    /// Lets the devices' clocks reach now, by the service's clock, as every writer does first;
    /// loads no keys when nothing is due.
    /// - Parameters:
    ///   - arrived: called once the arrivals are durable, with how many arrived (0 when nothing was due).
    ///   - processed: called after each durable group of processed alerts.
    /// - Throws: ``ServiceError/store(_:)`` when a write fails; what was made durable before stays.
    @discardableResult
    public func deliverDueAlerts(
        arrived: (Int) -> Void = { _ in }, processed: ([ScheduleRecord]) -> Void = { _ in }
    ) throws(ServiceError) -> AlertDeliveryReport {
        let now = now()
        do {
            guard try writer.hasDueAlertWork(at: now) else {
                arrived(0)
                return AlertDeliveryReport()
            }
        } catch {
            throw .store(error)
        }
        let credentials = try credentials()
        do {
            return try writer.deliverDueAlerts(now: now, credentials: credentials, arrived: arrived, processed: processed)
        } catch {
            throw .store(error)
        }
    }
}
