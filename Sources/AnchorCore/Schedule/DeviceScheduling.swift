/// A device's own state for future-dated commands: the command it holds and its alert counter.
/// Immutable and shared by reference: changing either makes a new one.
final class DeviceScheduling: Hashable, Codable, Sendable {
    let pending: PendingCommand?
    let lastAlertCounter: OriginatorCounter?

    private init(pending: PendingCommand?, lastAlertCounter: OriginatorCounter?) {
        self.pending = pending
        self.lastAlertCounter = lastAlertCounter
    }

    /// The state for these values; `nil` when there is neither.
    static func make(pending: PendingCommand?, lastAlertCounter: OriginatorCounter?) -> DeviceScheduling? {
        pending == nil && lastAlertCounter == nil ? nil : DeviceScheduling(pending: pending, lastAlertCounter: lastAlertCounter)
    }

    static func == (lhs: DeviceScheduling, rhs: DeviceScheduling) -> Bool {
        lhs.pending == rhs.pending && lhs.lastAlertCounter == rhs.lastAlertCounter
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(pending)
        hasher.combine(lastAlertCounter)
    }
}
