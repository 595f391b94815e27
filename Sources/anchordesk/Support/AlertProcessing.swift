import AnchorCore
import AnchorStore

/// The devices' clocks reaching now, for the CLI: due future-dated commands execute, their
/// alerts arrive and are processed, durably and exactly once, with a summary on stderr.
enum AlertProcessing {
    /// Processes whatever is due in an open (writable) store; does nothing, and loads no keys, when nothing is.
    /// The caller reports the result.
    /// - Parameters:
    ///   - arrived: called once the arrivals are durable, with how many arrived (0 when nothing was due).
    ///   - processed: called after each durable group of processed alerts.
    @discardableResult
    static func run(
        _ store: Store, options: CommonOptions, keys: String? = KeyOptions.environmentDirectory, arrived: (Int) -> Void = { _ in },
        processed: ([ScheduleRecord]) -> Void = { _ in }
    ) throws(CLIFailure) -> AlertDeliveryReport {
        let now = try options.now()
        guard store.hasDueAlertWork(at: now) else {
            arrived(0)
            return AlertDeliveryReport()
        }
        let credentials = try Credentials.load(options, keys: keys, ledger: store.estate.ledger, now: now)
        let report: AlertDeliveryReport
        do {
            report = try store.deliverDueAlerts(now: now, credentials: credentials, arrived: arrived, processed: processed)
        } catch {
            throw CLIFailure(error)
        }
        return report
    }
}
