import AnchorCore
import DUISServer
import OperatorClient

/// `bulk 6.15.1 --store https://…`: a departing GNO's hand-back through the DSP's operator API
/// (``RemoteHandBack``). The output, progress, Ctrl-C and exit codes are those of a bulk run at the DSP.
struct RemoteBulk {
    let handBack: RemoteHandBack
    let json: Bool

    /// Runs the hand-back of the devices `filter` selects (at most `limit`), `groupSize` devices a
    /// group; each refusal left is one warning line.
    func run(filter: String, limit: Int?, groupSize: Int, keys: String?) throws {
        let plan = try handBack.plan(filter: filter, limit: limit, keys: keys)
        if let warning = plan.warning { Console.warn(Presentation.safe(warning)) }
        let run = RemoteGroupRun(pending: plan.pending, skipped: plan.skipped, groupSize: groupSize, json: json)
        try run.finish(try sendAll(run))
    }

    /// The plan's devices `run` names sent, with the progress and `--json` lines of a bulk run at
    /// the DSP; each refusal is one warning line.
    func sendAll(_ run: RemoteGroupRun) throws(CLIFailure) -> RemoteGroupRun.Outcome {
        defer { handBack.finish() }
        return try run.sendAll { devices, next, durable throws(CLIFailure) in
            let refused = try handBack.send(devices, next: next, durable: durable)
            for refusal in refused {
                Console.warn("\(refusal.device): the DSP refused it before the device: \(Presentation.safe(refusal.error))")
            }
            return refused.count
        }
    }
}
