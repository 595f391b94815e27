/// Request Management for SRV6.15.1, SRV6.21 and Recovery Events: access rules, counter policy, the command
/// sent southbound, and the northbound rule that records counters (FIA 4.1.1 and 4.1.2).
///
/// Pure: it reads the ledger, talks to devices only through the gateway, and returns the
/// change to commit. It never reads a clock or a device's floors.
public enum RequestEngine {
    /// Processes one request end to end and returns what to commit.
    /// - Parameters:
    ///   - request: the user's request.
    ///   - ledger: the DCC's current state.
    ///   - gateway: the devices.
    ///   - now: the time to stamp on the log entry.
    /// - Throws: ``RequestError`` for bad input (unknown IDs); such requests change nothing.
    public static func process(
        _ request: ServiceRequest, ledger: Ledger, gateway: inout some DeviceGateway, now: Timestamp
    ) throws(RequestError) -> LedgerChange {
        switch request {
        case .updateSecurityCredentials(let request):
            try UpdateSecurityCredentialsHandler.process(request, ledger: ledger, gateway: &gateway, now: now)
        case .requestHandover(let request):
            try HandoverHandler.process(request, ledger: ledger, gateway: &gateway, now: now)
        case .recovery(let request):
            try RecoveryHandler.process(request, ledger: ledger, gateway: &gateway, now: now)
        }
    }

    /// The DUIS Request ID: `originatorEUI64:targetEUI64:counter`.
    public static func requestId(originator: EUI64, device: EUI64, counter: OriginatorCounter) -> String {
        "\(originator):\(device):\(counter)"
    }
}
