import AnchorCore
import DCCWire
import SMKI

/// One request's outcome and the bytes it put on the wire.
public struct WireEvaluation: Sendable {
    /// What to make durable.
    public var change: EstateChange
    /// The commands sent and the answers, in order (none if the request never reached a device).
    public var exchanges: [WireExchange]
}

extension Estate {
    /// Runs a request through the engine against this estate's simulated devices, over the wire:
    /// each command is encoded, signed with the originator's DS key and verified by the device.
    ///
    /// Nothing here changes: the result is what to make durable and then ``Estate/apply(_:)``.
    /// - Parameters:
    ///   - request: the user's request.
    ///   - now: the time to stamp on it.
    ///   - unresponsive: devices that will not answer.
    ///   - credentials: the estate's certificates and the signing keys AnchorDesk holds.
    /// - Throws: ``RequestError`` for bad input.
    public func evaluate(
        _ request: ServiceRequest, now: Timestamp, unresponsive: Set<EUI64> = [], credentials: EstateCredentials
    ) throws(RequestError) -> EstateChange {
        try evaluateOnWire(request, now: now, unresponsive: unresponsive, credentials: credentials).change
    }

    /// As ``evaluate(_:now:unresponsive:credentials:)``, also returning the bytes exchanged.
    /// - Throws: ``RequestError`` for bad input.
    public func evaluateOnWire(
        _ request: ServiceRequest, now: Timestamp, unresponsive: Set<EUI64> = [], credentials: EstateCredentials
    ) throws(RequestError) -> WireEvaluation {
        // Only the target device takes part, so a large estate is not copied per request.
        let target = devices[request.device].map { DeviceTable([$0]) } ?? DeviceTable()
        var simulator = GPFSimulator(devices: target, directory: credentials.directory, keys: credentials.deviceKeys)
        simulator.unresponsive = unresponsive
        var gateway = WireGateway(simulator: simulator, credentials: credentials)
        let change = try RequestEngine.process(request, ledger: ledger, gateway: &gateway, now: now)
        let after = gateway.simulator.devices[request.device]
        return WireEvaluation(
            change: EstateChange(ledger: change, device: after == devices[request.device] ? nil : after),
            exchanges: gateway.exchanges)
    }

    /// A prediction of a request's outcome with demo credentials derived from this ledger, for
    /// the console's dry run. Signatures are made and checked, but with demo keys, so it cannot
    /// foresee a refusal caused by an imported certificate whose private key AnchorDesk lacks.
    /// - Throws: ``RequestError`` for bad input.
    public func dryRun(_ request: ServiceRequest, now: Timestamp) throws(RequestError) -> EstateChange {
        try evaluate(request, now: now, credentials: DemoCredentialsCache.credentials(for: ledger))
    }
}
