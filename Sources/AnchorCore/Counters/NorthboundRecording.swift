/// The northbound rule of FIA 4.1.1, in one place for a response and for a future-dated
/// command's alert: when the device shows the ACB's certificate in its Network Operator DS cell
/// after an SRV6.15.1, the DCC records the command's Originator Counter (or the Network Operator
/// floor the device reports, if that is higher, so a floor set above the counter is covered too).
enum NorthboundRecording {
    /// The value to record, or `nil` when the cell does not hold the ACB's certificate.
    /// - Parameters:
    ///   - holder: what the device says the NO DS cell holds now.
    ///   - reportedFloor: the NO floor the device reports, if it reports one.
    static func entry(
        holder: CertificateSubject?, reportedFloor: OriginatorCounter?, counter: OriginatorCounter, requestId: String, at time: Timestamp
    ) -> CounterHistoryEntry? {
        guard holder?.role == .acb else { return nil }
        return CounterHistoryEntry(
            at: time, requestId: requestId, service: .updateSecurityCredentials, counter: max(counter, reportedFloor ?? counter))
    }

    /// What the log's detail says of a recorded value.
    static func sentence(_ entry: CounterHistoryEntry) -> String {
        "; the ACB now holds the Network Operator cell, counter \(entry.counter) recorded"
    }
}
