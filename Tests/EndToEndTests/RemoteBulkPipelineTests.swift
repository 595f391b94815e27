import Foundation
import Testing

/// A remote bulk run prepares and signs the next group while one is sent, its counters above the
/// unsent group's: groups the DSP refuses whole must not leave those counters ever further past
/// the GNO's last, or the DSP refuses the group prepared ahead and the run stops part way.
@Suite(.serialized) struct RemoteBulkPipelineTests {
    /// National Grid's operator signs with a key that is not its certificate's: the DSP refuses
    /// every command, and the run still asks for every device and reports each refusal, as it
    /// does without the pipeline, rather than stopping with a refused `after` past 20,000.
    @Test func aRunWhoseGroupsAreAllRefusedStillAsksForEveryDevice() throws {
        let store = try DemoStore()
        defer { store.remove() }
        // Enough of National Grid's devices (about 30,000) for four groups of 7,000 and a tail.
        let estate = try store.run(["init", "--estate", "100000", "--force"])
        try #require(estate.exitCode == 0, "\(estate.stderr)")
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let nationalGrid = try OperatorMachine("national-grid", of: store)
        let keys = try #require(nationalGrid.environment["ANCHORDESK_KEYS"])
        let signingKey = try #require(try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasSuffix("-ds.key") })
        try FileManager.default.removeItem(atPath: keys + "/" + signingKey)
        try FileManager.default.copyItem(atPath: store.path + "/demo-user-keys/90b3d51f30000011-ds.key", toPath: keys + "/" + signingKey)

        // Its 30,000 warning lines go to a file: a pipe read after stdout would fill and stop it.
        let errors = store.root.appendingPathComponent("bulk.err").path
        let bulk = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--group-size", "7000", "--store", dsp.address]
        let run = try AnchorDeskProcess.run(bulk, environment: nationalGrid.environment.merging(["ERRORS": errors]) { $1 },
                                            via: ["/bin/sh", "-c", "exec \"$@\" 2>\"$ERRORS\"", "sh", AnchorDeskProcess.executable] + bulk)
        let stderr = try String(contentsOfFile: errors, encoding: .utf8)
        let refusals = stderr.split(separator: "\n").filter { $0.contains("the signature does not verify") }
        #expect(run.exitCode == 1 && !stderr.contains("past the sender's last counter"), "\(run.exitCode) \(stderr.suffix(400))")
        #expect(refusals.count > 28_000 && run.stdout.contains("0 of \(refusals.count) sent"), "\(refusals.count) \(run.stdout)")
        #expect(try store.requestsSinceInit().isEmpty)
    }
}
