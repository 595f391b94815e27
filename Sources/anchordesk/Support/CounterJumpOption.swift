import AnchorCore
import ArgumentParser

/// `--allow-counter-jump`: send a typed counter or floor that burns counters for good (``CounterJump``).
struct CounterJumpOption: ParsableArguments {
    @Flag(name: .customLong("allow-counter-jump"),
          help: "Send a typed counter or floor more than 2^52 past where the counters stand, or of 2^63 or more: the counters it skips are burned for good.")
    var allowed = false

    /// Refuses the first of `jumps` (bad input, nothing sent) unless jumps were allowed.
    func check(_ jumps: [CounterJump]) throws(RequestError) {
        try CounterJump.check(jumps, allowed: allowed)
    }
}
