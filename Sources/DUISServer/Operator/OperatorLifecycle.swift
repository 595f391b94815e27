import AnchorCore

/// `POST /api/operator/v1/lifecycle`: an organisation's subscribe, cease or revoke, one of the
/// DCC's own actions: only an operator whose grant gives it the DCC's actions may ask, and the
/// record names it.
public enum OperatorLifecycle {
    /// The action asked for.
    public struct Request: Codable, Sendable {
        /// Subscribe, cease or revoke.
        public var action: OrganisationAction
        /// The organisation's ID.
        public var organisation: String

        /// A request.
        public init(action: OrganisationAction, organisation: String) {
            self.action = action
            self.organisation = organisation
        }
    }

    /// What it came to: the durable record, or why there was nothing to do.
    public struct Reply: Codable, Sendable {
        /// The action's record (succeeded or refused), when one was made.
        public var record: LifecycleRecord?
        /// Why nothing was done, when the organisation was already in the asked-for state.
        public var unchanged: String?
        /// The device filter that lists the devices holding the organisation's certificates, if it has one.
        public var listFilter: String?
    }
}
