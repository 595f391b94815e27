/// When a device is to act on an SRV6.15.1: now, at a future date-time (the CS02b
/// `executionDateTime`), or never, by cancelling the command it holds (`99991231235959Z`).
public enum CommandExecution: Hashable, Sendable {
    /// Executed on receipt; the response carries the outcome.
    case immediate
    /// Accepted on receipt and executed at this time; a 0x8F66 or 0x8F67 alert carries the outcome.
    case at(Timestamp)
    /// Cancels the future-dated command the device holds; nothing is replaced.
    case cancelScheduled

    /// The moment whose GBCS `executionDateTime`, `99991231235959Z`, means "cancel": no command
    /// can be scheduled for it (or after it).
    public static let cancellationTime = Timestamp(secondsSince1970: 253_402_300_799)

    /// Refuses a future date-time that is not after `now`, or is the cancellation date-time itself.
    /// - Throws: ``RequestError/invalidRequest(_:)`` saying which.
    public func checkSchedulable(now: Timestamp) throws(RequestError) {
        guard case .at(let due) = self else { return }
        guard due > now else {
            throw .invalidRequest("the execution time \(due) is not after now (\(now)); leave it out to execute at once")
        }
        guard due < CommandExecution.cancellationTime else {
            throw .invalidRequest("\(due) is the cancellation date-time (99991231235959Z); use --cancel-scheduled to cancel")
        }
    }
}
