import AnchorCore
import AnchorStore
import GPFSimulator
import SMKI

/// How far a bulk run has got. It counts only durable requests.
public struct BulkTally: Sendable, Equatable {
    /// Requests made durable.
    public var done = 0
    /// Of those, succeeded.
    public var succeeded = 0
    /// Of those, acknowledged for a future time.
    public var scheduled = 0
    /// Of those, rejected.
    public var rejected = 0

    /// Nothing done yet.
    public init() {}

    /// Counts durable requests by their outcome.
    public mutating func count(_ records: [RequestRecord]) {
        for record in records {
            switch record.outcome {
            case .succeeded: succeeded += 1
            case .scheduled: scheduled += 1
            case .rejected: rejected += 1
            }
        }
        done += records.count
    }
}

/// What a bulk run came to.
public struct BulkResult: Sendable {
    /// What was made durable.
    public var tally = BulkTally()
    /// The caller asked it to stop before every device was sent.
    public var stopped = false
    /// Why it stopped early on its own: a decision or a write failed. Everything counted in
    /// ``tally`` is durable; nothing after it was reported.
    public var failure: ServiceError?
    /// What the compaction policy did afterwards.
    public var compaction = Compaction.notDue
}

extension ServiceSession {
    /// Sends one request per device, a group at a time: each group's requests are evaluated on
    /// every worker at once (``GPFSimulator/Speculation``), staged in order, and made durable
    /// together; only then does `afterGroup` hear of them.
    ///
    /// Used by every bulk use case: `bulk`, `org cease --hand-back`, Recovery Events and the
    /// console's jobs.
    /// - Parameters:
    ///   - devices: the devices, in order.
    ///   - signer: the DCC User whose own key signs every request, checked before anything is
    ///     sent (`nil`: the DCC signs).
    ///   - groupSize: requests per durable group (default: the settings').
    ///   - request: the request for a device.
    ///   - presigned: a User's signatures made on its own machine (the operator API's bulk), by
    ///     the User's entity ID, used instead of a key the DSP holds.
    ///   - operatorSubject: the operator the requests are recorded as sent by, if any.
    ///   - stopRequested: asked before each group; `true` stops the run there.
    ///   - afterGroup: called with each durable group's records and the tally so far; `false` stops the run.
    /// - Throws: ``ServiceError`` before anything is sent: the keys cannot be read, or the signer's key is missing.
    public func bulk(
        _ devices: [EUI64], signer: Organisation?, groupSize: Int? = nil, request: (EUI64) -> ServiceRequest,
        presigned: (EUI64, PresignedCommandSigner)? = nil, operatorSubject: String? = nil, stopRequested: () -> Bool = { false }, afterGroup: ([RequestRecord], BulkTally) -> Bool = { _, _ in true }
    ) throws(ServiceError) -> BulkResult {
        var credentials = try credentials()
        if let (user, signatures) = presigned { credentials.userSignatures[user] = signatures }
        if let signer, !devices.isEmpty { try requireSigningKey(of: signer) }
        let groupSize = max(1, groupSize ?? service.settings.groupSize)
        let prefetcher = WirePrefetcher.start(for: devices, in: estate, credentials: credentials, groupSize: groupSize, request: request)
        defer { prefetcher?.stop() }
        var result = BulkResult()
        while result.tally.done < devices.count {
            if stopRequested() {
                result.stopped = true
                break
            }
            let group = devices[result.tally.done..<min(result.tally.done + groupSize, devices.count)]
            var records: [RequestRecord] = []
            records.reserveCapacity(group.count)
            do {
                try writer.prepare(devices: Array(group), counterOwners: counterOwners(of: request(group[group.startIndex])))
                // Evaluated on every worker at once; applied, and made durable, one at a time in order.
                try Speculation.stageInOrder(group.map(request), estate: { writer.estate }, now: now(), credentials: credentials,
                                             workers: service.settings.workers) { change in
                    try credentials.requireWorkingToken()
                    var change = change
                    change.ledger.request.operatorSubject = operatorSubject
                    try writer.stage(change)
                    records.append(change.ledger.request)
                }
                try writer.flush()
            } catch let error as RequestError {
                result.failure = .request(error)
                break
            } catch let error as StoreError {
                result.failure = .store(error)
                break
            } catch {
                result.failure = .store(StoreError(code: .io, message: "\(error)"))
                break
            }
            // Only now, with the group durable, is anything counted or reported.
            result.tally.count(records)
            prefetcher?.finishedGroup()
            if !afterGroup(records, result.tally), result.tally.done < devices.count {
                result.stopped = true
                break
            }
        }
        if result.failure == nil { result.compaction = compactIfDue() }
        return result
    }
}
