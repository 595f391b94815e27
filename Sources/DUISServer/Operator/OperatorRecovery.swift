import AnchorCore

/// The operator API's Recovery Event, one of the DCC's own actions (signed by the SMKI Recovery
/// organisation's key, which the DSP holds): only an operator granted the DCC's actions may ask.
///
/// 1. `POST …/recovery/plan` a ``PlanRequest``: the devices still to do, as ``Plan``.
/// 2. `POST …/recovery/send` a ``SendRequest`` for a group of them: the DSP sends the group and
///    makes it durable together, each request naming the operator (``OperatorBulk/Sent``).
public enum OperatorRecovery {
    /// Which devices a Recovery Event would address.
    public struct PlanRequest: Codable, Sendable {
        /// A device filter expression.
        public var filter: String
        /// `acb`, an owner's ID or a certificate ID.
        public var replaceWith: String
        /// The NO floor the devices take afterwards.
        public var newFloor: OriginatorCounter
        /// Whether a floor far past the ACB's counter is meant.
        public var allowCounterJump: Bool

        /// A request.
        public init(filter: String, replaceWith: String, newFloor: OriginatorCounter, allowCounterJump: Bool) {
            self.filter = filter
            self.replaceWith = replaceWith
            self.newFloor = newFloor
            self.allowCounterJump = allowCounterJump
        }
    }

    /// The devices still to do, as ``AnchorCore/RecoveryPlan`` gives them.
    public struct Plan: Codable, Sendable {
        /// The devices, in order.
        public var pending: [EUI64]
        /// Matching devices already done.
        public var skipped: Int
        /// The replacement certificates' IDs, for the console's confirmation (absent from an
        /// older DSP's plan).
        public var certificates: [String]?
        /// The SMKI Recovery organisation that signs, with its last counter, if the DSP has one.
        public var recovery: Organisation?
    }

    /// A group of the plan's devices.
    public struct SendRequest: Codable, Sendable {
        /// What the plan was asked for.
        public var plan: PlanRequest
        /// Why this exceptional action is taken; kept in the request log and the audit trail.
        public var reason: String
        /// The group's devices, in order, each once.
        public var devices: [EUI64]

        /// A request.
        public init(plan: PlanRequest, reason: String, devices: [EUI64]) {
            self.plan = plan
            self.reason = reason
            self.devices = devices
        }
    }
}
