import AnchorCore

/// `history.json`: the DCC's log from before the store, which `init --demo` starts from: past
/// requests (in the request log's own form) and the counters the DCC recorded from them.
///
/// It predates the audit trail, so its requests have no audit entries (`audit verify` counts
/// them as unaudited). Optional in a folder given with `--from`. ``ledger(over:devices:now:path:)``
/// accepts only a log the engine could have written for these devices and organisations.
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

    /// The ledger with this history as its logs, for these devices.
    /// - Throws: `.invalidArgument` naming the JSON path of the first request that is not a
    ///   processed one (succeeded or rejected), names an unknown organisation, certificate or
    ///   device, lies before its device's commissioning, after `now` or before the entry above
    ///   it, has a Request ID that is not `requester:device:counter` with a counter its requester
    ///   has used, or says a recorded counter the history does not record; of the first
    ///   `counterHistory` entry that is not what its request recorded; and of the first ACB-held
    ///   device whose Network Operator floor is above its recorded counter (an SRV6.21 would fail).
    func ledger(over base: Ledger, devices: DeviceTable, now: Timestamp, path: String) throws(StoreError) -> Ledger {
        func invalid(_ location: String, _ problem: String) -> StoreError {
            StoreError.invalidArgument("\(location): \(problem)", path: path)
        }
        // Each recording, by the request that made it.
        var recordings: [String: (index: Int, entry: RecordedCounter)] = [:]
        for (index, recorded) in counterHistory.enumerated() where recordings[recorded.requestId] == nil {
            recordings[recorded.requestId] = (index, recorded)
        }
        var seen: Set<String> = []
        var recordedCounters: [EUI64: OriginatorCounter] = [:]
        var history: [EUI64: [CounterHistoryEntry]] = [:]
        var previous: Timestamp?
        for (index, request) in requests.enumerated() {
            let location = "requests[\(index)]"
            if let problem = Self.problem(with: request, after: previous, now: now, devices: devices, ledger: base) {
                throw invalid("\(location).\(problem.field)", problem.text)
            }
            previous = request.at
            guard seen.insert(request.requestId).inserted else {
                throw invalid("\(location).requestId", "Request ID \(DisplaySafeText.sanitize(request.requestId)) appears twice")
            }
            if let (entryIndex, recorded) = recordings[request.requestId] {
                guard recorded.device == request.device, request.outcome == .succeeded, recorded.service == request.service,
                      recorded.at == request.at else {
                    throw invalid("counterHistory[\(entryIndex)]", "not what request \(DisplaySafeText.sanitize(request.requestId)) recorded "
                                  + "(a succeeded \(request.service.rawValue) for \(request.device) at \(request.at))")
                }
                recordedCounters[request.device] = max(recordedCounters[request.device] ?? recorded.counter, recorded.counter)
                history[request.device, default: []].append(recorded.entry)
            }
            guard request.recordedCounter == recordedCounters[request.device] else {
                throw invalid("\(location).recordedCounter", "\(request.recordedCounter?.description ?? "null") is not the device's "
                              + "recorded counter after it, \(recordedCounters[request.device]?.description ?? "none") (see counterHistory)")
            }
        }
        if let (index, recorded) = counterHistory.enumerated().first(where: { !seen.contains($0.element.requestId) }) {
            throw invalid("counterHistory[\(index)].requestId",
                          "no succeeded request \(DisplaySafeText.sanitize(recorded.requestId)) for \(recorded.device) in requests")
        }
        let ledger = Ledger(organisations: base.organisations, certificates: base.certificates,
                            recordedCounters: RecordedCounters(recordedCounters), counterHistory: CounterHistories(history), requests: requests)
        for device in devices {
            guard let recorded = recordedCounters[device.id], device.floors[.networkOperator] > recorded,
                  ledger.owner(ofCertificate: device.cells[.networkOperatorDS] ?? "")?.role == .acb else { continue }
            throw StoreError.invalidArgument(
                "\(device.id): its Network Operator floor \(device.floors[.networkOperator]) in devices.json is above its recorded counter \(recorded) in history.json; an SRV6.21 would fail",
                path: path)
        }
        return ledger
    }

    /// What is wrong with one request on its own (the field and why), if anything.
    private static func problem(
        with request: RequestRecord, after previous: Timestamp?, now: Timestamp, devices: DeviceTable, ledger: Ledger
    ) -> (field: String, text: String)? {
        guard request.outcome != .scheduled else {
            return ("outcome", "the history holds processed requests only (succeeded or rejected), not scheduled ones")
        }
        guard let device = devices[request.device] else { return ("device", "no device \(request.device)") }
        guard request.at <= now else {
            return ("at", "\(request.at) is after init's clock (\(now), $ANCHORDESK_NOW or the system clock); the history must be in the past")
        }
        if let previous, request.at < previous { return ("at", "\(request.at) is before the entry above it") }
        if let commissioned = device.commissionedAt, request.at < commissioned {
            return ("at", "\(request.at) is before \(device.id) was commissioned (\(commissioned))")
        }
        guard let requester = ledger.organisation(request.requester) else {
            return ("requester", "no organisation \(DisplaySafeText.sanitize(request.requester))")
        }
        guard let originator = ledger.organisation(request.originator) else {
            return ("originator", "no organisation \(DisplaySafeText.sanitize(request.originator))")
        }
        if let unknown = request.certificates.first(where: { ledger.certificate($0) == nil }) {
            return ("certificates", "no certificate \(DisplaySafeText.sanitize(unknown))")
        }
        if request.originatorCounter > originator.lastCounter {
            return ("originatorCounter", "\(request.originatorCounter) is above \(originator.id)'s lastCounter \(originator.lastCounter)")
        }
        // The Request ID carries the requester's counter; one above its last would be reused by its next request.
        let parts = request.requestId.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, EUI64(parts[0]) == requester.entityId, EUI64(parts[1]) == request.device,
              let counter = OriginatorCounter(decimal: parts[2]), counter <= requester.lastCounter,
              request.requester != request.originator || counter == request.originatorCounter else {
            return ("requestId", "'\(DisplaySafeText.sanitize(request.requestId))' is not \(requester.id)'s entity ID, the device "
                    + "and a counter up to its lastCounter \(requester.lastCounter)"
                    + (request.requester == request.originator ? " equal to originatorCounter" : ""))
        }
        return nil
    }
}
