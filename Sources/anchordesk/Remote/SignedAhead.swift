import AnchorCore
import DUISServer
import Foundation

/// A group of a remote bulk run with its pre-commands prepared by the DSP and signed here.
struct SignedGroup {
    /// The devices asked for, in order.
    let devices: [EUI64]
    /// The signed pre-commands, in the order prepared.
    let commands: [OperatorBulk.Command]
    /// The devices the DSP prepared nothing for.
    let refused: [OperatorBulk.Refusal]
    /// The highest counter among the commands: the next group's go above it.
    let lastCounter: OriginatorCounter?

    /// Whether `requests`, this group's as sent, used its last counter (a request the device
    /// rejected used its counter too): only then is the GNO's last at least ``lastCounter``.
    func usedItsLastCounter(_ requests: [RequestRecord]) -> Bool {
        guard let lastCounter else { return true }
        return requests.contains { $0.originatorCounter == lastCounter }
    }
}

/// The next group of a remote bulk run, prepared and signed on a thread of its own while the
/// current group is sent.
final class SignedAhead: @unchecked Sendable {
    private let devices: [EUI64]
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the thread before it signals ``finished``; read only after waiting for it.
    private var result: Result<SignedGroup, CLIFailure>?

    /// Starts preparing and signing `devices` with `work`.
    init(_ devices: [EUI64], _ work: @escaping @Sendable () throws(CLIFailure) -> SignedGroup) {
        self.devices = devices
        Thread { [self] in
            do throws(CLIFailure) {
                result = .success(try work())
            } catch {
                result = .failure(error)
            }
            finished.signal()
        }.start()
    }

    /// The group, once ready, when it is the one for `devices`; a failure to prepare it is thrown.
    func take(_ devices: [EUI64]) throws(CLIFailure) -> SignedGroup? {
        finished.wait()
        defer { finished.signal() }
        guard devices == self.devices, let result else { return nil }
        return try result.get()
    }

    /// Waits for the work to end and drops what it made (nothing is sent or kept).
    func discard() {
        finished.wait()
        finished.signal()
    }
}

extension Optional where Wrapped == SignedAhead {
    /// The group prepared ahead for `devices`, if one was.
    func take(_ devices: [EUI64]) throws(CLIFailure) -> SignedGroup? {
        try self?.take(devices)
    }
}
