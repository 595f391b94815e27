import AnchorCore
import GPFSimulator
import SMKI

extension Estate {
    /// Evaluates over the wire with demo credentials derived from this estate's ledger.
    func evaluate(_ request: ServiceRequest, now: Timestamp, unresponsive: Set<EUI64> = []) throws(RequestError) -> EstateChange {
        try evaluate(request, now: now, unresponsive: unresponsive, credentials: DemoCredentialsCache.credentials(for: ledger))
    }
}
