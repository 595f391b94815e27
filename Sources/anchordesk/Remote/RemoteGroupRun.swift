import AnchorCore
import AnchorService
import DUISServer
import Foundation

/// A bulk run through the operator API, a group at a time, as a bulk run at the DSP is shown: a
/// progress line on a terminal, Ctrl-C between groups (exit 130), one `--json` line per request
/// once the DSP has made its group durable, then the summary and the exit code.
struct RemoteGroupRun {
    /// The devices to send to, in order.
    let pending: [EUI64]
    /// Matching devices left out as already done.
    let skipped: Int
    let groupSize: Int
    let json: Bool

    /// What the groups came to: only durable requests are counted.
    struct Outcome {
        var tally = BulkTally()
        /// Devices the DSP refused before sending.
        var refused = 0
        /// Ctrl-C stopped the run between groups.
        var stopped = false
    }

    /// Sends every group, then prints the summary and exits as a bulk run at the DSP does.
    func run(_ send: (_ devices: [EUI64], _ next: [EUI64]?, _ durable: ([RequestRecord]) -> Void) throws(CLIFailure) -> Int) throws {
        try finish(try sendAll(send))
    }

    /// Sends each group with `send`, which tells `durable` of each answer's requests as it comes
    /// (durable at the DSP, so none goes unreported if a later call fails) and returns how many
    /// of the group's devices the DSP refused before sending. `send` is also given the group after
    /// (`nil` for the last), to prepare meanwhile if it will.
    func sendAll(_ send: (_ devices: [EUI64], _ next: [EUI64]?, _ durable: ([RequestRecord]) -> Void) throws(CLIFailure) -> Int) throws(CLIFailure) -> Outcome {
        let progress = isatty(STDERR_FILENO) == 1 ? ProgressLine(total: pending.count) : nil
        let interruption = Interruption.install()
        defer { interruption.remove() }
        var outcome = Outcome()
        for start in stride(from: 0, to: pending.count, by: groupSize) {
            if interruption.requested {
                outcome.stopped = true
                break
            }
            let next = start + groupSize < pending.count ? Array(pending[(start + groupSize)..<min(start + 2 * groupSize, pending.count)]) : nil
            let refused = try send(Array(pending[start..<min(start + groupSize, pending.count)]), next) { records in
                if json {
                    for record in records { Console.out(Presentation.request(record).compact()) }
                }
                outcome.tally.count(records)
                progress?.update(done: outcome.tally.done + outcome.refused)
            }
            outcome.refused += refused
            progress?.update(done: outcome.tally.done + outcome.refused)
        }
        progress?.finish()
        return outcome
    }

    /// Prints the summary; exits 130 after Ctrl-C, and fails (exit 1) if any request was rejected or refused.
    func finish(_ outcome: Outcome) throws {
        try BulkSummary(total: pending.count, skipped: skipped, json: json).finish(outcome.tally, stopped: outcome.stopped, refused: outcome.refused)
    }
}
