import AnchorCore

/// The request launcher's form: which service, who acts, what is placed, which counter.
public struct LauncherForm: Hashable, Sendable {
    /// The form's fields, in Tab order.
    public enum Field: Hashable, Sendable {
        case service, actingOrganisation, target, counter, newFloor, executeAt
    }

    /// The target device.
    public var device: EUI64
    /// 6.15.1 or 6.21.
    public var service: ServiceName
    /// The acting organisation.
    public var actingOrganisation: TextField
    /// 6.15.1: the certificate spec; 6.21: the incoming GNO.
    public var target: TextField
    /// 6.15.1 only: an Originator Counter, or empty for the sender's next.
    public var counter: TextField
    /// 6.15.1 only: `newRemotePartyFloorSeqNumber`, or empty for the command's own counter.
    public var newFloor: TextField
    /// 6.15.1 only: an execution time (`YYYY-MM-DDTHH:MM:SSZ`), or empty to execute at once.
    public var executeAt: TextField
    /// The focused field.
    public var focus: Field = .service
    /// Legacy counters (6.21), from the console-wide toggle.
    public var legacyCounters: Bool

    /// A form filled with a draft.
    public init(_ draft: RequestDraft) {
        device = draft.device
        service = draft.service
        actingOrganisation = TextField(draft.actingOrganisation)
        target = TextField(draft.service == .updateSecurityCredentials ? draft.certificate : draft.networkOperator)
        counter = TextField(draft.counter?.description ?? "")
        newFloor = TextField(draft.newFloor?.description ?? "")
        executeAt = TextField(draft.executeAt?.description ?? "")
        legacyCounters = draft.legacyCounters
    }

    /// The fields this service has.
    public var fields: [Field] {
        service == .updateSecurityCredentials ? [.service, .actingOrganisation, .target, .counter, .newFloor, .executeAt]
            : [.service, .actingOrganisation, .target]
    }

    /// The label of a field.
    public func label(of field: Field) -> String {
        switch field {
        case .service: "Service"
        case .actingOrganisation: service == .updateSecurityCredentials ? "As (GNO)" : "As (Supplier)"
        case .target: service == .updateSecurityCredentials ? "Certificate" : "Incoming GNO"
        case .counter: "Counter"
        case .newFloor: "New floor"
        case .executeAt: "Execute at"
        }
    }

    /// The draft the form describes.
    /// - Throws: ``RequestError/invalidRequest(_:)`` when the counter or new floor is not a number or the time not a time.
    public func draft() throws(RequestError) -> RequestDraft {
        /// A 6.15.1 field's value: `nil` when empty (or for 6.21), else what `parse` makes of it.
        func value<Value>(
            _ field: TextField, _ parse: (String) -> Value?, else problem: (String) -> String
        ) throws(RequestError) -> Value? {
            let typed = field.text.trimmingSpaces
            guard service == .updateSecurityCredentials, !typed.isEmpty else { return nil }
            guard let parsed = parse(typed) else { throw .invalidRequest(problem(typed)) }
            return parsed
        }
        let counterValue = try value(counter, OriginatorCounter.init(decimal:)) { "counter '\($0)' is not a whole number from 0 to \(UInt64.max)" }
        let newFloorValue = try value(newFloor, OriginatorCounter.init(decimal:)) { "new floor '\($0)' is not a whole number from 0 to \(UInt64.max)" }
        let executeAtValue = try value(executeAt, { $0.utf8.count == 20 ? Timestamp(iso8601: $0) : nil }) {
            "execute at '\($0)' is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC)"
        }
        return RequestDraft(
            service: service, device: device, actingOrganisation: actingOrganisation.text,
            certificate: service == .updateSecurityCredentials ? target.text : "",
            networkOperator: service == .requestHandover ? target.text : "",
            counter: counterValue, newFloor: newFloorValue, executeAt: executeAtValue, legacyCounters: legacyCounters)
    }
}

/// The confirmation before a request is sent; focus starts on Cancel.
public struct Confirmation: Hashable, Sendable {
    /// The two buttons.
    public enum Button: Hashable, Sendable { case cancel, send }

    /// What will be sent.
    public var draft: RequestDraft
    /// The preview it was confirmed from.
    public var preview: RequestPreview
    /// The form to go back to on Cancel.
    public var form: LauncherForm
    /// The focused button.
    public var focus: Button = .cancel
    /// What the user typed to confirm a counter jump: the jumping value, typed out again.
    public var typedJump = TextField()

    /// The jump to confirm by typing its value, if the preview found one.
    public var jump: CounterJump? { preview.jumps.first }
}

/// The result of a launched request, shown until dismissed.
public struct OutcomeReport: Hashable, Sendable {
    /// The processed request, if it was processed (succeeded or rejected).
    public var record: RequestRecord?
    /// Why nothing was processed (bad input, store locked, ...), if so.
    public var failure: String?
}
