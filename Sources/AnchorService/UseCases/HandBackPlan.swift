import AnchorCore

/// Which devices a bulk SRV6.15.1 sends to: the filter's devices, less those a rerun must not
/// send to twice.
public struct HandBackPlan: Sendable, Equatable {
    /// The devices to send to, in the selection's order.
    public var pending: [EUI64]
    /// Matching devices left out: their Network Operator cell already holds the replacement, or
    /// (when scheduling) they already hold a scheduled command.
    public var skipped: Int
    /// Of the devices still needing the replacement, how many hold a scheduled command: sent now,
    /// theirs will fail (0x8F67) when it falls due; when scheduling, they are skipped.
    public var alreadyScheduled: Int

    /// A plan.
    public init(pending: [EUI64], skipped: Int, alreadyScheduled: Int) {
        self.pending = pending
        self.skipped = skipped
        self.alreadyScheduled = alreadyScheduled
    }

    /// The plan for the first `limit` of its devices only (a run handed back in tranches); the
    /// others are left for a later run, and counted nowhere.
    public func limited(to limit: Int?) -> HandBackPlan {
        guard let limit, limit < pending.count else { return self }
        return HandBackPlan(pending: Array(pending.prefix(limit)), skipped: skipped, alreadyScheduled: alreadyScheduled)
    }

    /// The one line to warn of ``alreadyScheduled`` devices, if any.
    public func scheduledWarning(execution: CommandExecution) -> String? {
        guard alreadyScheduled > 0 else { return nil }
        return execution == .immediate
            ? "\(alreadyScheduled) of these devices hold a scheduled command; sent now, it will fail (0x8F67) when it falls due"
            : "\(alreadyScheduled) of these devices already hold a scheduled command and are skipped; to move its time, cancel it (request 6.15.1 --cancel-scheduled) and schedule again"
    }
}

extension ServiceSession {
    /// The devices a bulk SRV6.15.1 of `replacements` to the devices `filter` selects sends to.
    /// A rerun sends nothing twice: devices already holding the replacement Digital Signing
    /// certificate, or (when scheduling) already holding a scheduled command, are left out.
    /// - Throws: ``ServiceError/store(_:)`` when the store cannot be read.
    public func handBackPlan(_ filter: DeviceFilter, replacements: [String], execution: CommandExecution) throws(ServiceError) -> HandBackPlan {
        let ledger = estate.ledger
        let signingReplacement = replacements.first { ledger.certificate($0)?.keyUsage == .digitalSigning }
        let matching = try selection(filter).devices
        let needed = matching.filter { device in signingReplacement == nil || device.cells[.networkOperatorDS] != signingReplacement }
        let alreadyScheduled = needed.filter { hasScheduledCommand($0.id) }.count
        let pending = needed.filter { device in execution == .immediate || !hasScheduledCommand(device.id) }.map(\.id)
        return HandBackPlan(pending: pending, skipped: matching.count - pending.count, alreadyScheduled: alreadyScheduled)
    }
}
