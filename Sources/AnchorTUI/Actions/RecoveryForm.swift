import AnchorCore
import AnchorService

/// The Recovery Event form: which devices, why, and the NO floor to set and record.
public struct RecoveryForm: Hashable, Sendable {
    /// The form's fields, in Tab order.
    public enum Field: Hashable, Sendable, CaseIterable { case filter, reason, newFloor }

    /// The device filter (starts as the devices view's filter).
    public var filter: TextField
    /// Why (required).
    public var reason = TextField()
    /// The NO floor to set and record (default 0).
    public var newFloor = TextField("0")
    /// The replacement: the ACB's DS/KA pair, as `--replace-with acb`.
    public var replacement = "acb"
    /// The focused field.
    public var focus: Field = .reason

    /// A form for the devices view's filter.
    public init(filter: String) {
        self.filter = TextField(filter)
    }

    /// The field being edited.
    public var focusedField: TextField {
        get {
            switch focus {
            case .filter: filter
            case .reason: reason
            case .newFloor: newFloor
            }
        }
        set {
            switch focus {
            case .filter: filter = newValue
            case .reason: reason = newValue
            case .newFloor: newFloor = newValue
            }
        }
    }

    /// What the form asks for, checked without the estate.
    public struct Checked: Hashable, Sendable {
        /// The filter, as typed (trimmed).
        public var filter: String
        /// The filter, parsed.
        public var parsed: DeviceFilter
        /// The NO floor to set and record.
        public var newFloor: OriginatorCounter
        /// Why.
        public var reason: String
    }

    /// Checks what needs no estate: a filter that parses, a whole-number floor and a reason.
    /// - Throws: ``RequestError/invalidRequest(_:)`` naming the field.
    public func checked() throws(RequestError) -> Checked {
        let filterText = filter.text.trimmingSpaces
        guard !filterText.isEmpty else {
            throw .invalidRequest("a Recovery Event needs a filter: it applies to the filtered devices, never to all of them")
        }
        let parsed = try DeviceFilter(parsing: filterText)
        let floorText = newFloor.text.trimmingSpaces
        guard let floor = OriginatorCounter(decimal: floorText.isEmpty ? "0" : floorText) else {
            throw .invalidRequest("new NO floor '\(floorText)' is not a whole number from 0 to \(UInt64.max)")
        }
        let reasonText = reason.text.trimmingSpaces
        guard !reasonText.isEmpty else { throw .invalidRequest("a Recovery Event needs a reason") }
        return Checked(filter: filterText, parsed: parsed, newFloor: floor, reason: reasonText)
    }

    /// Plans the Recovery Event this form describes against an estate.
    /// - Throws: ``RequestError/invalidRequest(_:)`` for a missing reason or filter, a bad floor or filter,
    ///   or a floor that jumps far past the ACB's counter (``CounterJump``).
    public func preview(_ estate: Estate) throws(RequestError) -> RecoveryPreview {
        let checked = try checked()
        if let jump = CounterJump.inRecovery(newFloor: checked.newFloor, in: estate.ledger, field: "new NO floor") {
            throw .invalidRequest(jump.description + "; the console does not send one: 'anchordesk recovery --allow-counter-jump' does, if that is meant")
        }
        let plan = try RecoveryPlan(estate: estate, filter: checked.parsed, replacement: replacement)
        return RecoveryPreview(checked, replacement: replacement, pending: plan.pending.count, skipped: plan.skipped,
                               certificates: plan.certificates, recovery: estate.ledger.soleOrganisation(withRole: .recovery))
    }
}

/// What a Recovery Event will do, shown before it is confirmed by typing the device count.
public struct RecoveryPreview: Hashable, Sendable {
    /// The draft to send once confirmed.
    public var draft: RecoveryDraft
    /// The replacement certificates.
    public var certificates: [String]
    /// Matching devices already done (skipped).
    public var skipped: Int
    /// The SMKI Recovery organisation that signs, if the store has one.
    public var recovery: Organisation?
    /// The typed device count.
    public var typedCount = TextField()

    /// What a form, checked, comes to: `pending` devices to confirm, wherever they were counted
    /// (this machine's estate, or the DSP's plan for a console on its operator API).
    public init(_ checked: RecoveryForm.Checked, replacement: String, pending: Int, skipped: Int, certificates: [String], recovery: Organisation?) {
        draft = RecoveryDraft(filter: checked.filter, replacement: replacement, newFloor: checked.newFloor, reason: checked.reason,
                              confirmedDevices: pending)
        self.certificates = certificates
        self.skipped = skipped
        self.recovery = recovery
    }

    /// The device count to type.
    public var count: Int { draft.confirmedDevices }
}
