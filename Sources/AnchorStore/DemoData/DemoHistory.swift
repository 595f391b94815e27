import AnchorCore

/// `history.json`: the DCC's log from before the store, which `init --demo` starts from: past
/// requests (in the request log's own form) and the counters the DCC recorded from them.
///
/// It predates the audit trail, so its requests have no audit entries (`audit verify` counts
/// them as unaudited). Optional in a folder given with `--from`.
struct DemoHistory: Decodable {
    /// One recorded counter, with the device it belongs to.
    struct RecordedCounter: Decodable {
        var device: EUI64
        var at: Timestamp
        var requestId: String
        var service: ServiceName
        var counter: OriginatorCounter

        var entry: CounterHistoryEntry { CounterHistoryEntry(at: at, requestId: requestId, service: service, counter: counter) }
    }

    /// The past requests, oldest first.
    var requests: [RequestRecord]
    /// The counters recorded from them.
    var counterHistory: [RecordedCounter]

    /// No history: a folder without `history.json`.
    static let empty = DemoHistory(requests: [], counterHistory: [])

    /// The ledger with this history as its logs, for these devices.
    /// - Throws: `.invalidArgument` naming the JSON path of the first entry that names an
    ///   unknown organisation, certificate or device, goes back in time, lies after `now`,
    ///   repeats a Request ID, uses a counter above its originator's last one, or records a
    ///   counter that is not the one its request recorded; and of the first ACB-held device
    ///   whose Network Operator floor is above its recorded counter (an SRV6.21 would fail).
    func ledger(over base: Ledger, devices: DeviceTable, now: Timestamp, path: String) throws(StoreError) -> Ledger {
        func invalid(_ location: String, _ problem: String) -> StoreError {
            StoreError.invalidArgument("\(location): \(problem)", path: path)
        }
        var requestIds: [String: RequestRecord] = [:]
        var previous: Timestamp?
        for (index, request) in requests.enumerated() {
            let location = "requests[\(index)]"
            guard request.at <= now else {
                throw invalid("\(location).at", "\(request.at) is after init's clock (\(now), $ANCHORDESK_NOW or the system clock); the history must be in the past")
            }
            guard devices[request.device] != nil else { throw invalid("\(location).device", "no device \(request.device)") }
            if let previous, request.at < previous { throw invalid("\(location).at", "\(request.at) is before the entry above it") }
            previous = request.at
            for (key, id) in [("requester", request.requester), ("originator", request.originator)] where base.organisation(id) == nil {
                throw invalid("\(location).\(key)", "no organisation \(DisplaySafeText.sanitize(id))")
            }
            if let unknown = request.certificates.first(where: { base.certificate($0) == nil }) {
                throw invalid("\(location).certificates", "no certificate \(DisplaySafeText.sanitize(unknown))")
            }
            if let originator = base.organisation(request.originator), request.originatorCounter > originator.lastCounter {
                throw invalid("\(location).originatorCounter",
                              "\(request.originatorCounter) is above \(originator.id)'s lastCounter \(originator.lastCounter)")
            }
            guard requestIds.updateValue(request, forKey: request.requestId) == nil else {
                throw invalid("\(location).requestId", "Request ID \(DisplaySafeText.sanitize(request.requestId)) appears twice")
            }
        }
        var counterHistory: [EUI64: [CounterHistoryEntry]] = [:]
        var recordedCounters: [EUI64: OriginatorCounter] = [:]
        for (index, recorded) in self.counterHistory.enumerated() {
            let location = "counterHistory[\(index)]"
            guard let request = requestIds[recorded.requestId], request.device == recorded.device, request.outcome == .succeeded else {
                throw invalid("\(location).requestId",
                              "no succeeded request \(DisplaySafeText.sanitize(recorded.requestId)) for \(recorded.device) in requests")
            }
            guard recorded.counter == request.recordedCounter, recorded.service == request.service, recorded.at == request.at else {
                throw invalid(location, "not what request \(DisplaySafeText.sanitize(request.requestId)) recorded "
                              + "(service \(request.service.rawValue), at \(request.at), recordedCounter \(request.recordedCounter?.description ?? "none"))")
            }
            counterHistory[recorded.device, default: []].append(recorded.entry)
            recordedCounters[recorded.device] = max(recordedCounters[recorded.device] ?? recorded.counter, recorded.counter)
        }
        let ledger = Ledger(organisations: base.organisations, certificates: base.certificates,
                            recordedCounters: recordedCounters, counterHistory: counterHistory, requests: requests)
        for (device, recorded) in recordedCounters {
            guard let state = devices[device], ledger.owner(ofCertificate: state.cells[.networkOperatorDS] ?? "")?.role == .acb,
                  state.floors[.networkOperator] > recorded else { continue }
            let floor = state.floors[.networkOperator]
            throw StoreError.invalidArgument(
                "\(device): its Network Operator floor \(floor) in devices.json is above its recorded counter \(recorded) in history.json; an SRV6.21 would fail",
                path: path)
        }
        return ledger
    }
}
