import AnchorCore
import AnchorStore
import Foundation
import GPFSimulator
import SMKI

/// One writer's time with the store: every use case runs in one. Close it on every path.
public final class ServiceSession {
    /// The store's writer.
    public let writer: any EstateWriter
    /// The service that opened it (clock, settings).
    public let service: EstateService
    /// What letting the devices' clocks reach now did as the session opened.
    public internal(set) var openingAlerts = AlertDeliveryReport()
    private var loadedCredentials: EstateCredentials?
    /// The P-256 work started for groups expected next (``prefetchAhead(_:request:)``), newest last.
    var groupsAhead: [WirePrefetcher] = []

    init(writer: any EstateWriter, service: EstateService) {
        self.writer = writer
        self.service = service
    }

    /// The estate as this session holds it, with everything it committed applied.
    public var estate: Estate { writer.estate }

    /// Things the user should know about the open.
    public var warnings: [String] { writer.warnings }

    /// The time now, by the service's one clock.
    public func now() -> Timestamp { service.clock.now() }

    /// The estate's certificates and the keys the DSP holds (the DCC's own, and the Users' whose
    /// key directory it was given), read once per session; the vault makes keys and
    /// certificates for anything new in the ledger.
    /// - Throws: ``ServiceError/store(_:)`` when the vault cannot be read or completed.
    public func credentials() throws(ServiceError) -> EstateCredentials {
        if let loadedCredentials { return loadedCredentials }
        do {
            let read = try service.store.credentials(
                for: estate.ledger, userKeys: service.settings.userKeys, keyToken: service.settings.keyToken, validFrom: Date(timeIntervalSince1970: TimeInterval(now().secondsSince1970)))
            loadedCredentials = read
            return read
        } catch {
            throw .store(error)
        }
    }

    /// Fails unless the DSP holds `organisation`'s Digital Signing key, where it is a DCC User
    /// that signs its own requests.
    /// - Throws: ``ServiceError/missingUserKey(_:)``.
    public func requireSigningKey(of organisation: Organisation) throws(ServiceError) {
        guard !(try credentials()).canSign(for: organisation) else { return }
        throw .missingUserKey(organisation)
    }

    /// The one compaction policy, after durable work: compact when due; a failure is a warning,
    /// never an error, because everything reported is already durable.
    public func compactIfDue() -> Compaction {
        do {
            return try writer.compactIfDue() ? .compacted : .notDue
        } catch {
            return .failed(error)
        }
    }

    /// Lets go of the rows a decision that wrote nothing held (a refusal before the device).
    public func release() {
        writer.release()
    }

    /// Ends the session.
    public func close() {
        groupsAhead.forEach { $0.stop() }
        groupsAhead = []
        writer.close()
    }
}

/// What the compaction policy did after durable work.
public enum Compaction: Sendable, Equatable {
    /// Nothing was due.
    case notDue
    /// The journal was folded into a new snapshot.
    case compacted
    /// Compacting failed; everything reported stays durable.
    case failed(StoreError)

    /// The line to tell the user, if any.
    public var message: String? {
        switch self {
        case .notDue: nil
        case .compacted: "compacted the store: the journal was folded into a new snapshot"
        case .failed(let error): "everything reported is durable, but compacting the store failed: \(error.description)"
        }
    }

    /// Whether the message is a warning rather than a note.
    public var isWarning: Bool {
        if case .failed = self { return true }
        return false
    }
}

extension ServiceSession {
    /// The devices `filter` selects, estate-wide, with what plans read of the ledger (see
    /// ``EstateWriter/selection(_:)``).
    /// - Throws: ``ServiceError/store(_:)`` when the store cannot be read.
    public func selection(_ filter: DeviceFilter) throws(ServiceError) -> Estate {
        do {
            return try writer.selection(filter)
        } catch {
            throw .store(error)
        }
    }

    /// Whether the DCC knows of a future-dated command a device of the last selection holds.
    public func hasScheduledCommand(_ device: EUI64) -> Bool {
        writer.hasScheduledCommand(device)
    }
}
