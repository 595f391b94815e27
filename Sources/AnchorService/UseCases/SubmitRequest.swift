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
        let evaluation = try decide(request)
        try commit(evaluation.change)
        return Submission(change: evaluation.change, exchanges: evaluation.exchanges, compaction: compactIfDue())
    }

    /// Decides a request on the wire, changing nothing: the command is signed, MACed and sent
    /// to the simulated device, whose answer is verified.
    /// - Parameter presigned: a User's signature made elsewhere (DUIS CommandVariant 5), used
    ///   instead of a key the DSP holds.
    /// - Throws: ``ServiceError``: `.request` for bad input, `.missingUserKey`, `.store`.
    public func decide(_ request: ServiceRequest, presigned: (EUI64, PresignedCommandSigner)? = nil) throws(ServiceError) -> WireEvaluation {
        var credentials = try credentials()
        if let (signer, signature) = presigned {
            credentials.userSignatures[signer] = signature
        } else if case .updateSecurityCredentials(let body) = request, let sender = estate.ledger.organisation(body.sender) {
            try requireSigningKey(of: sender)
        }
        do {
            return try estate.evaluateOnWire(request, now: now(), credentials: credentials)
        } catch {
            throw .request(error)
        }
    }

    /// What the engine would send for `request`, as a DUIS pre-command, without sending it.
    /// - Throws: ``ServiceError``: `.request` for bad input, `.store` when the keys cannot be read.
    public func preCommand(for request: ServiceRequest) throws(ServiceError) -> PreCommandTransform {
        let directory = try credentials().directory
        do {
            return try estate.transform(request, now: now(), directory: directory)
        } catch {
            throw .request(error)
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
