import AnchorCore
import AnchorStore

/// What a lifecycle action came to.
public enum LifecycleResult: Sendable, Equatable {
    /// Nothing to do: the organisation is already in the asked-for state.
    case unchanged(String)
    /// The action's record, durable (succeeded, or refused with a reason).
    case committed(LifecycleRecord)
}

extension ServiceSession {
    /// Decides an organisation's subscribe, cease or revoke (``AnchorCore/OrganisationLifecycle``)
    /// and makes it durable.
    /// - Parameter operatorSubject: the operator the record names as having asked, if any.
    /// - Throws: ``ServiceError``: `.request` for an unknown organisation (nothing logged),
    ///   `.store` when the commit failed.
    public func lifecycle(_ action: OrganisationAction, organisation: String, operatorSubject: String? = nil) throws(ServiceError) -> LifecycleResult {
        // The organisation's counter is held to the commit: a request placing or using its
        // certificates (which holds it too) cannot slip in between the count and the cease.
        try prepare(devices: [], counterOwners: [organisation])
        let holding: Int
        do {
            holding = action == .subscribe ? 0 : try writer.devicesHolding(certificatesOf: organisation)
        } catch {
            writer.release()
            throw .store(error)
        }
        let decision: LifecycleDecision
        do {
            decision = try OrganisationLifecycle.decide(action, organisation: organisation, ledger: estate.ledger, now: now()) { _ in holding }
        } catch {
            writer.release()
            throw .request(error)
        }
        switch decision {
        case .unchanged(let detail):
            writer.release()
            return .unchanged(detail)
        case .change(var change):
            change.record.operatorSubject = operatorSubject
            do {
                try writer.commit(change)
            } catch {
                throw .store(error)
            }
            return .committed(change.record)
        }
    }
}
