import AnchorCore

extension Estate {
    /// Runs a request through the engine against this estate's simulated devices.
    ///
    /// Nothing here changes: the result is what to make durable and then ``Estate/apply(_:)``.
    /// - Parameters:
    ///   - request: the user's request.
    ///   - now: the time to stamp on it.
    ///   - unresponsive: devices that will not answer.
    /// - Throws: ``RequestError`` for bad input.
    ///   - certificateSubjects: ``Estate/certificateSubjects``, when the caller already has it (bulk work).
    public func evaluate(
        _ request: ServiceRequest, now: Timestamp, unresponsive: Set<EUI64> = [],
        certificateSubjects: [String: CertificateSubject]? = nil
    ) throws(RequestError) -> EstateChange {
        // Only the target device takes part, so a large estate is not copied per request.
        let target = devices[request.device].map { DeviceTable([$0]) } ?? DeviceTable()
        var simulator = GPFSimulator(devices: target, certificateSubjects: certificateSubjects ?? self.certificateSubjects)
        simulator.unresponsive = unresponsive
        let change = try RequestEngine.process(request, ledger: ledger, gateway: &simulator, now: now)
        let after = simulator.devices[request.device]
        return EstateChange(ledger: change, device: after == devices[request.device] ? nil : after)
    }
}
