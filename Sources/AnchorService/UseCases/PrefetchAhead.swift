import AnchorCore
import GPFSimulator

extension ServiceSession {
    /// How many groups' P-256 work runs ahead at once: the group being sent and the one after.
    static let groupsKeptAhead = 2

    /// Starts the P-256 work behind sending `request` to `devices` (``GPFSimulator/WirePrefetcher``)
    /// before the call that sends them: the operator API's bulk prepares a group, the operator's
    /// machine signs it, and the DSP meanwhile derives the devices' keys and MAC secrets, so the
    /// send finds them done. It decides nothing; the work for older groups stops.
    public func prefetchAhead(_ devices: [EUI64], request: (EUI64) -> ServiceRequest) throws(ServiceError) {
        guard let prefetcher = WirePrefetcher.start(for: devices, in: estate, credentials: try credentials(), groupSize: devices.count, request: request)
        else { return }
        groupsAhead.append(prefetcher)
        while groupsAhead.count > Self.groupsKeptAhead { groupsAhead.removeFirst().stop() }
    }
}
