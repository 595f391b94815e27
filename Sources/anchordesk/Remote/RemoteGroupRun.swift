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

    /// Sends each group with `send`, which tells `durable` of each answer's requests as it comes
    /// (durable at the DSP, so none goes unreported if a later call fails) and returns how many
    /// of the group's devices the DSP refused before sending. `send` is also given the group after
    /// (`nil` for the last), to prepare meanwhile if it will.
    func run(_ send: (_ devices: [EUI64], _ next: [EUI64]?, _ durable: ([RequestRecord]) -> Void) throws(CLIFailure) -> Int) throws {
        let progress = isatty(STDERR_FILENO) == 1 ? ProgressLine(total: pending.count) : nil
        let interruption = Interruption.install()
        defer { interruption.remove() }
        var tally = BulkTally()
        var refused = 0
        var stopped = false
        for start in stride(from: 0, to: pending.count, by: groupSize) {
            if interruption.requested {
                stopped = true
                break
            }
            let next = start + groupSize < pending.count ? Array(pending[(start + groupSize)..<min(start + 2 * groupSize, pending.count)]) : nil
            refused += try send(Array(pending[start..<min(start + groupSize, pending.count)]), next) { records in
                for record in records {
                    if json { Console.out(Presentation.request(record).compact()) }
                    switch record.outcome {
                    case .succeeded: tally.succeeded += 1
                    case .scheduled: tally.scheduled += 1
                    case .rejected: tally.rejected += 1
                    }
                }
                tally.done += records.count
                progress?.update(done: tally.done + refused)
            }
            progress?.update(done: tally.done + refused)
        }
        progress?.finish()
        try BulkSummary(total: pending.count, skipped: skipped, json: json).finish(tally, stopped: stopped, refused: refused)
    }
}
