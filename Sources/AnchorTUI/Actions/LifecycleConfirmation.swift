import AnchorCore
import AnchorService

/// The dialog before a lifecycle action: what the core expects to happen, an optional hand-back
/// for a ceasing Network Operator, and, for a hand-back, the device count typed to confirm.
/// Focus starts on Cancel.
public struct LifecycleConfirmation: Hashable, Sendable {
    /// The two buttons.
    public enum Button: Hashable, Sendable { case cancel, confirm }

    /// What is asked for.
    public var action: OrganisationAction
    /// The organisation's ID.
    public var organisation: String
    /// Whether a hand-back can be offered (a ceasing Network Operator that is a DCC User).
    public var canHandBack: Bool
    /// Hand its devices back to the ACB first (toggled with Space).
    public var handBack = false
    /// The devices a hand-back would address, as loaded.
    public var handBackDevices: Int
    /// How many devices hold any of its certificates, as loaded.
    public var devicesHolding: Int
    /// What the core decides against the loaded store now: the record it would log.
    public var expected: LifecycleRecord?
    /// The typed device count, for a hand-back.
    public var typedCount = TextField()
    /// The focused button.
    public var focus: Button = .cancel

    /// Works out the dialog for an action on the loaded estate (a dry run: the time it stamps does not matter).
    /// - Returns: why there is nothing to confirm (unknown, unchanged, no lifecycle for its role), if so.
    public static func make(_ action: OrganisationAction, organisation: String, estate: Estate)
        -> Result<LifecycleConfirmation, LifecyclePreviewProblem> {
        make(action, organisation: organisation, ledger: estate.ledger,
             holding: { estate.devicesHoldingCertificates(of: $0).count },
             handBackDevices: { LifecycleDraft.handBackDevices(of: $0, in: estate).count })
    }

    /// As ``make(_:organisation:estate:)``, for a store that counts the devices itself (a
    /// database shown a page at a time).
    /// - Parameters:
    ///   - holding: how many devices hold any of an organisation's certificates.
    ///   - handBackDevices: how many devices' Network Operator cells hold its certificates.
    public static func make(_ action: OrganisationAction, organisation: String, ledger: Ledger,
                            holding: (String) -> Int, handBackDevices: (String) -> Int)
        -> Result<LifecycleConfirmation, LifecyclePreviewProblem> {
        guard let found = ledger.organisation(organisation) else {
            return .failure(.notPossible(RequestError.unknownOrganisation(organisation).description))
        }
        let decision: LifecycleDecision
        do {
            decision = try OrganisationLifecycle.decide(action, organisation: found.id, ledger: ledger, now: Timestamp(secondsSince1970: 0)) {
                holding($0)
            }
        } catch {
            return .failure(.notPossible(error.description))
        }
        let canHandBack = action == .cease && found.role == .networkOperator && found.dccUser
        let handBackCount = canHandBack ? handBackDevices(found.id) : 0
        switch decision {
        case .unchanged(let detail):
            return .failure(.unchanged(detail))
        case .change(let change):
            return .success(LifecycleConfirmation(
                action: action, organisation: found.id, canHandBack: canHandBack, handBackDevices: handBackCount,
                devicesHolding: change.record.devicesHoldingCertificates, expected: change.record))
        }
    }

    /// Whether the typed count is needed before the action may go ahead.
    public var needsTypedCount: Bool { handBack && handBackDevices > 0 }

    /// The draft this dialog confirms.
    public var draft: LifecycleDraft {
        LifecycleDraft(action: action, organisation: organisation, handBack: handBack,
                       confirmedDevices: handBack ? handBackDevices : nil)
    }
}

/// Why a lifecycle action has no dialog.
public enum LifecyclePreviewProblem: Error, Hashable, Sendable {
    /// Nothing to do: the organisation is already in that state.
    case unchanged(String)
    /// Not possible: unknown organisation, or a role without this lifecycle.
    case notPossible(String)
}
