/// How the DCC chooses the Originator Counter of an SRV6.21 command for a GPF (FIA 4.1.1).
public enum HandoverCounterPolicy {
    /// The counter to use, or `nil` when no counter above the recorded one exists.
    ///
    /// With the change: if a recorded counter is stored and it is at least the generated one,
    /// use the recorded counter plus one (equality would fail the device's strict check too);
    /// otherwise the generated counter. In legacy mode the generated counter is used as is.
    /// - Parameters:
    ///   - generated: the counter the ACB's own sequence produced.
    ///   - recorded: the highest counter recorded for the device's NO cell, if any.
    ///   - legacy: skip the recorded-counter rule, as before the change.
    public static func counter(
        generated: OriginatorCounter, recorded: OriginatorCounter?, legacy: Bool
    ) -> OriginatorCounter? {
        guard !legacy, let recorded, recorded >= generated else { return generated }
        return recorded.successor
    }
}
