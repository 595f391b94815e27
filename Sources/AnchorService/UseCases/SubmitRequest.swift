import AnchorCore
import AnchorStore
import DCCWire
import GPFSimulator
import SMKI

/// One request decided, made durable and ready to report.
public struct Submission: Sendable {
    /// What was committed.
    public var change: EstateChange
    /// The commands sent and the devices' answers, in order.
    public var exchanges: [WireExchange]
    /// What the compaction policy did afterwards.
    public var compaction: Compaction

    /// The request log entry: what to report.
    public var record: RequestRecord { change.ledger.request }
}

extension ServiceSession {
    /// Decides one request and makes it durable: the one path every request takes.
    ///
    /// A DCC User signs its own SRV6.15.1: without that User's key nothing is sent. Nothing is
    /// reported before the change is durable.
    /// - Parameter build: the request, from the ledger as it is once the store is open (a
    ///   certificate named by its owner resolves against it).
    /// - Throws: ``ServiceError``: `.request` for bad input (nothing logged), `.missingUserKey`,
    ///   `.store` when the keys cannot be read, `.notAcknowledged` when the commit failed.
    public func submit(_ build: (Ledger) throws(RequestError) -> ServiceRequest) throws(ServiceError) -> Submission {
        let request: ServiceRequest
        do {
            request = try build(estate.ledger)
        } catch {
            throw .request(error)
        }
        try prepare(for: request)
        let evaluation = try decide(request)
        try commit(evaluation.change)
        return Submission(change: evaluation.change, exchanges: evaluation.exchanges, compaction: compactIfDue())
    }

    /// Decides a request on the wire, changing nothing: the command is signed, MACed and sent
    /// to the simulated device, whose answer is verified.
    /// - Parameter presigned: a User's signature made elsewhere (DUIS CommandVariant 5), used
    ///   instead of a key the DSP holds.
    /// - Throws: ``ServiceError``: `.request` for bad input, `.missingUserKey`, `.store` (also
    ///   when the token holding the DCC's keys refused them, and nothing was sent).
    public func decide(_ request: ServiceRequest, presigned: (EUI64, PresignedCommandSigner)? = nil) throws(ServiceError) -> WireEvaluation {
        var credentials = try credentials()
        if let (signer, signature) = presigned {
            credentials.userSignatures[signer] = signature
        } else if case .updateSecurityCredentials(let body) = request, let sender = estate.ledger.organisation(body.sender) {
            try requireSigningKey(of: sender)
        }
        let evaluation: WireEvaluation
        do {
            evaluation = try estate.evaluateOnWire(request, now: now(), credentials: credentials)
        } catch {
            throw .request(suggesting(error))
        }
        do {
            try credentials.requireWorkingToken()
        } catch {
            throw .store(error)
        }
        return evaluation
    }

    /// What the engine would send for `request`, as a DUIS pre-command, without sending it; the
    /// rows prepared for it are let go.
    /// - Throws: ``ServiceError``: `.request` for bad input, `.store` when the keys cannot be read.
    public func preCommand(for request: ServiceRequest) throws(ServiceError) -> PreCommandTransform {
        let directory = try credentials().directory
        defer { writer.release() }
        do {
            return try estate.transform(request, now: now(), directory: directory)
        } catch {
            throw .request(suggesting(error))
        }
    }

    /// `error`, and for an unknown device a device the store holds one slip away from it
    /// (``EstateWriter/nearMiss(of:)``); a store that cannot say leaves the error as it is.
    public func suggesting(_ error: RequestError) -> RequestError {
        guard case .unknownDevice(let text, nil) = error, let id = EUI64(text), let near = try? writer.nearMiss(of: id) else { return error }
        return .unknownDevice(text, suggestion: near.description)
    }

    /// Makes the writer hold what a decision about `request` reads: its device, and the counter
    /// of the organisations whose counters it uses (the sender of SRV6.15.1, the Supplier and the ACB for SRV6.21,
    /// the SMKI Recovery organisation for a Recovery Event); for SRV6.21 the incoming GNO's too,
    /// so that its cease cannot be decided meanwhile.
    /// - Throws: ``ServiceError/store(_:)``: `.locked` when another writer holds them past the lock timeout.
    public func prepare(for request: ServiceRequest) throws(ServiceError) {
        try prepare(devices: [request.device], counterOwners: counterOwners(of: request))
    }

    /// As ``prepare(for:)``, for several devices and organisations at once.
    public func prepare(devices: [EUI64], counterOwners: [String]) throws(ServiceError) {
        do {
            try writer.prepare(devices: devices, counterOwners: counterOwners)
        } catch {
            throw .store(error)
        }
    }

    /// The organisations whose last counter a decision about `request` uses.
    public func counterOwners(of request: ServiceRequest) -> [String] {
        let ledger = estate.ledger
        return switch request {
        case .updateSecurityCredentials(let update): [update.sender]
        case .requestHandover(let handover):
            [handover.supplier, handover.networkOperator] + (ledger.soleOrganisation(withRole: .acb).map { [$0.id] } ?? [])
        case .recovery: ledger.soleOrganisation(withRole: .recovery).map { [$0.id] } ?? []
        }
    }

    /// Makes a decided change durable.
    /// - Throws: ``ServiceError/notAcknowledged(_:device:)``, or `.store` when the database
    ///   refused it whole (`.notAuthorised`: nothing to look for).
    public func commit(_ change: EstateChange) throws(ServiceError) {
        do {
            try writer.commit(change)
        } catch where error.code == .notAuthorised {
            throw .store(error)
        } catch {
            throw .notAcknowledged(error, device: change.ledger.request.device)
        }
    }
}
