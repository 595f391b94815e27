import AnchorCore
import Foundation
import SMKI

/// One request of a group, evaluated ahead on a worker thread as if the requests before it in
/// the group had each used the next counter of the same organisation (the SRV6.15.1 sender, or
/// the SMKI Recovery organisation).
///
/// A bulk run's requests go to distinct devices and differ, as far as the engine is concerned,
/// only in that counter: so whenever the assumed counter is the real one, the speculation is
/// exactly what evaluating the request in turn gives. ``change(against:now:credentials:)``
/// checks that before the writer uses it and evaluates the request again, in turn, when not.
public struct Speculation: Sendable {
    /// The counter the evaluation assumed: `organisation`'s last-used counter was `lastCounter`.
    struct Assumption: Sendable {
        var organisation: String
        var lastCounter: OriginatorCounter
    }

    /// The request.
    public let request: ServiceRequest
    /// The evaluation under ``assumption``; `nil` when none was made (evaluated in turn).
    let outcome: Result<EstateChange, RequestError>?
    let assumption: Assumption?

    /// This request's change as evaluated against `estate` (the estate with every earlier
    /// request of the group applied): the speculation when its assumption holds there, else a
    /// fresh evaluation.
    /// - Throws: ``RequestError`` for bad input, as ``Estate/evaluate(_:now:unresponsive:credentials:)``.
    public func change(against estate: Estate, now: Timestamp, credentials: EstateCredentials) throws(RequestError) -> EstateChange {
        if let outcome, let assumption, holds(assumption, outcome: outcome, in: estate.ledger) { return try outcome.get() }
        return try estate.evaluate(request, now: now, credentials: credentials)
    }

    /// The assumed counter is the real one, and the evaluation used no other organisation's.
    private func holds(_ assumption: Assumption, outcome: Result<EstateChange, RequestError>, in ledger: Ledger) -> Bool {
        guard ledger.organisation(assumption.organisation)?.lastCounter == assumption.lastCounter else { return false }
        guard case .success(let change) = outcome else { return true }
        return change.ledger.organisationCounters.keys.allSatisfy { $0 == assumption.organisation }
    }

    /// A bulk group: its requests evaluated on `workers` threads at once, then each one's change
    /// handed, in order, to `stage`, which applies it to the estate `estate()` returns before the
    /// next is checked against that estate (``change(against:now:credentials:)``).
    /// - Throws: the first ``RequestError`` (bad input) or error of `stage`; the changes before it were staged.
    public static func stageInOrder(
        _ requests: [ServiceRequest], estate: () -> Estate, now: Timestamp, credentials: EstateCredentials, workers: Int,
        stage: (EstateChange) throws -> Void
    ) throws {
        for speculation in estate().speculate(requests, now: now, credentials: credentials, workers: workers) {
            try stage(try speculation.change(against: estate(), now: now, credentials: credentials))
        }
    }

    /// The most workers a bulk run takes.
    public static let maximumWorkers = 256

    /// One worker per core: the default.
    public static var onePerCore: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The workers a bulk run uses: `$ANCHORDESK_WORKERS` when set, else ``onePerCore``; `nil`
    /// when the variable is not a number from 1 to ``maximumWorkers``.
    public static func workers(environment: [String: String]) -> Int? {
        guard let text = environment["ANCHORDESK_WORKERS"], !text.isEmpty else { return onePerCore }
        guard let workers = Int(text), (1...maximumWorkers).contains(workers) else { return nil }
        return workers
    }
}

extension Estate {
    /// Evaluates a group of requests on `workers` threads (the caller's among them) and returns
    /// when all are done, in order. Nothing changes; the caller takes each one's
    /// ``Speculation/change(against:now:credentials:)`` in turn and applies it.
    ///
    /// Requests whose counters cannot be foreseen (SRV6.21, which also uses the ACB's; a device
    /// named twice) carry no speculation and are evaluated in turn by the caller.
    public func speculate(
        _ requests: [ServiceRequest], now: Timestamp, credentials: EstateCredentials, workers: Int
    ) -> [Speculation] {
        let assumptions = counterAssumptions(for: requests)
        let outcomes = concurrentMap(count: requests.count, workers: workers) { index -> Result<EstateChange, RequestError>? in
            guard let assumption = assumptions[index] else { return nil }
            let assumed = Estate(ledger: ledger.assuming(lastCounter: assumption.lastCounter, of: assumption.organisation), devices: devices)
            do throws(RequestError) {
                return .success(try assumed.evaluate(requests[index], now: now, credentials: credentials))
            } catch {
                return .failure(error)
            }
        }
        return requests.indices.map { index in
            Speculation(request: requests[index], outcome: outcomes[index], assumption: assumptions[index])
        }
    }

    /// For each request, the counter its organisation would have after the ones before it each
    /// used the next; `nil` where that cannot be foreseen. A device named again is evaluated in
    /// turn, and is taken to use a counter too, as most requests do, refused or not.
    private func counterAssumptions(for requests: [ServiceRequest]) -> [Speculation.Assumption?] {
        var next: [String: OriginatorCounter] = [:]
        var seenDevices: Set<EUI64> = []
        return requests.map { request -> Speculation.Assumption? in
            guard let organisation = counterOwner(of: request),
                  let last = next[organisation] ?? ledger.organisation(organisation)?.lastCounter else { return nil }
            next[organisation] = last.successor ?? last
            guard seenDevices.insert(request.device).inserted, last.successor != nil else { return nil }
            return Speculation.Assumption(organisation: organisation, lastCounter: last)
        }
    }

    /// The one organisation whose counter the request uses, if only one.
    private func counterOwner(of request: ServiceRequest) -> String? {
        switch request {
        case .updateSecurityCredentials(let update): update.sender
        case .recovery: ledger.soleOrganisation(withRole: .recovery)?.id
        case .requestHandover: nil
        }
    }
}
