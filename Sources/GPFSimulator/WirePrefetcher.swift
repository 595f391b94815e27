import AnchorCore
import Crypto
import Foundation
import SMKI

/// Does a bulk run's per-device P-256 work a group or two ahead, on another core, while the
/// engine decides and commits the current group on this one: it derives the devices' keys and
/// computes the two ECDH secrets behind each command's MAC (the DCC's and the device's own),
/// which the wire and the simulated devices then find remembered (``MemoTable``).
///
/// It decides nothing and changes no state: stopping it, or never starting it, changes only
/// the time a run takes. Its thread runs at the lowest priority (``yieldToOtherWork(credentials:)``): it
/// uses a core the run would otherwise leave idle, while the engine stages and commits a group
/// on one core only, and does not slow the group's evaluation on both; whatever it has not done
/// by the time a device's turn comes is done then, in the evaluation.
public final class WirePrefetcher: Sendable {
    /// One device's inputs: its ID, and the certificate in its ACB KA cell with that certificate's key.
    public typealias Target = (device: EUI64, acbCertificate: String?, acbKeyAgreementKey: P256.KeyAgreement.PublicKey?)

    /// How many more groups the worker may prepare, and whether it should stop; every access
    /// holds the condition's lock.
    private final class Permits: @unchecked Sendable {
        private let condition = NSCondition()
        private var available: Int
        private var stopped = false

        init(_ available: Int) {
            self.available = available
        }

        /// Waits for a permit; `false` once stopped.
        func take() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while available == 0 && !stopped { condition.wait() }
            guard !stopped else { return false }
            available -= 1
            return true
        }

        func give() {
            condition.lock()
            available += 1
            condition.signal()
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.signal()
            condition.unlock()
        }

        var isStopped: Bool {
            condition.lock()
            defer { condition.unlock() }
            return stopped
        }
    }

    private let permits: Permits

    /// Starts working through `groups`, at most `ahead` groups beyond the last one reported finished.
    /// - Parameter withMAC: whether the commands are `DD`-wrapped (Recovery commands are not).
    public init(credentials: EstateCredentials, groups: [[Target]], withMAC: Bool, ahead: Int = 2) {
        let permits = Permits(ahead)
        self.permits = permits
        let worker = Thread {
            WirePrefetcher.yieldToOtherWork(credentials: credentials)
            for group in groups {
                guard permits.take() else { return }
                for target in group {
                    if permits.isStopped { return }
                    WirePrefetcher.prepare(target, credentials: credentials, withMAC: withMAC)
                }
            }
        }
        worker.start()
    }

    /// The inputs for `devices` from the estate, in groups of `groupSize`.
    public static func targets(
        _ devices: [EUI64], in estate: Estate, directory: CertificateDirectory, groupSize: Int
    ) -> [[Target]] {
        let targets = devices.map { device -> Target in
            let id = estate.devices[device]?.cells[.acbKA]
            return (device, id, id.flatMap { directory[$0]?.keyAgreementKey })
        }
        return stride(from: 0, to: targets.count, by: max(1, groupSize)).map { Array(targets[$0..<min($0 + max(1, groupSize), targets.count)]) }
    }

    /// A prefetcher for a bulk run of `request` over `devices`, or `nil` when there is nothing to send.
    public static func start(
        for devices: [EUI64], in estate: Estate, credentials: EstateCredentials, groupSize: Int,
        request: (EUI64) -> ServiceRequest
    ) -> WirePrefetcher? {
        guard let first = devices.first else { return nil }
        let withMAC = if case .recovery = request(first) { false } else { true }
        return WirePrefetcher(
            credentials: credentials, groups: targets(devices, in: estate, directory: credentials.directory, groupSize: groupSize),
            withMAC: withMAC)
    }

    /// The caller finished a group: one more may be prepared.
    public func finishedGroup() {
        permits.give()
    }

    /// Stops the work after the device in hand.
    public func stop() {
        permits.stop()
    }

    /// Gives the calling thread the lowest scheduling priority (nice 19). Only on Linux, where
    /// the nice value is a thread's own (elsewhere it would slow the whole process, for good);
    /// and not when a PKCS#11 token holds the DCC's keys, whose one lock this thread would then
    /// hold, at that priority, while the engine's signatures wait. Either way only the time changes.
    private static func yieldToOtherWork(credentials: EstateCredentials) {
        #if os(Linux)
        guard credentials.tokenHeldKeys == nil else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
    }

    private static func prepare(_ target: Target, credentials: EstateCredentials, withMAC: Bool) {
        _ = credentials.deviceKeys.signingKey(for: target.device)
        guard withMAC else { return }
        _ = credentials.macSecret(for: target.device)
        if let acbCertificate = target.acbCertificate {
            _ = credentials.deviceKeys.deviceSideSecret(for: target.device, acbCertificate: acbCertificate) { target.acbKeyAgreementKey }
        }
    }

    deinit {
        stop()
    }
}
