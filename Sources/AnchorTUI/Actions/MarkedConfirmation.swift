import AnchorCore
import AnchorService
import GPFSimulator

/// The dialog before SRV6.15.1 or SRV6.21 goes to every marked device as one job: what the
/// launcher would offer for them, and what a dry run against the loaded store expects. Focus
/// starts on Cancel.
public struct MarkedConfirmation: Hashable, Sendable {
    /// The two buttons.
    public enum Button: Hashable, Sendable { case cancel, send }

    /// What will be sent.
    public var draft: MarkedRequestsDraft
    /// How many the dry run expects to succeed (or to be scheduled).
    public var expectedToSucceed: Int
    /// How many the dry run expects a device to refuse for one reason.
    public struct Refusals: Hashable, Sendable {
        public var reason: String
        public var count: Int
    }

    /// The dry run's refusals by reason, most frequent first.
    public var expectedRefusals: [Refusals]
    /// The focused button.
    public var focus: Button = .cancel

    /// What the launcher would offer for all the marked devices at once: SRV6.21 placing the
    /// default incoming GNO when the ACB holds every NO cell, SRV6.15.1 to the ACB when one GNO
    /// holds them all.
    /// - Throws: a sentence for the status line when the devices need different requests.
    public static func make(marked: [EUI64], estate: Estate, legacy: Bool) throws(MarkedRefusal) -> MarkedConfirmation {
        let ledger = estate.ledger
        let devices = marked.compactMap { estate.devices[$0] }
        guard let first = devices.first else { throw MarkedRefusal("no marked device is in the store shown") }
        guard devices.count == marked.count else {
            // Pages shown: marks on another page are not sent unseen.
            throw MarkedRefusal("\(marked.count - devices.count) of the \(marked.count) marked devices are not on the page shown: "
                + "go back to their page, or Esc clears the marks")
        }
        let owners = Set(devices.map { device in device.cells[.networkOperatorDS].flatMap { ledger.owner(ofCertificate: $0) }?.id ?? "(empty)" })
        let holder = owners.count == 1 ? owners.first.flatMap { ledger.organisation($0) } : nil
        let targets = devices.map { MarkedRequestsDraft.Target(device: $0.id, supplier: $0.supplier) }
        let draft: MarkedRequestsDraft
        switch holder?.role {
        case .acb?:
            let gno = RequestDraft.defaults(for: .requestHandover, device: first, ledger: ledger, legacy: legacy).networkOperator
            draft = MarkedRequestsDraft(service: .requestHandover, targets: targets, networkOperator: gno, legacyCounters: legacy)
        case .networkOperator?:
            draft = MarkedRequestsDraft(service: .updateSecurityCredentials, targets: targets, networkOperator: holder!.id)
        default:
            throw MarkedRefusal("the marked devices' NO cells hold \(owners.sorted().joined(separator: ", ")): mark devices held by one GNO (SRV6.15.1) or all by the ACB (SRV6.21)")
        }
        var succeed = 0
        var refusals: [String: Int] = [:]
        do {
            for request in try draft.requests(ledger: ledger) {
                let record = try estate.dryRun(request, now: Timestamp(secondsSince1970: 0)).ledger.request
                if record.outcome == .rejected { refusals[record.reason?.rawValue ?? "rejected", default: 0] += 1 } else { succeed += 1 }
            }
        } catch {
            throw MarkedRefusal(error.description)
        }
        return MarkedConfirmation(draft: draft, expectedToSucceed: succeed,
                                  expectedRefusals: refusals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                                      .map { Refusals(reason: $0.key, count: $0.value) })
    }
}

/// Why the marked devices cannot go as one job.
public struct MarkedRefusal: Error, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}
