import AnchorCore
import AnchorService
import AnchorStore
import DUIS
import Foundation
import SMKI

extension DUISService {
    /// A draft an operator asked for, unsigned, with the User's XML-signing certificate (DER) that
    /// the signature will name; the store is read on the deciding queue, as a request is decided.
    func prepare(_ draft: DUISRequestDraft) async -> Result<(xml: [UInt8], xmlSigningCertificate: [UInt8]), OperatorFailure> {
        await onDecidingQueue { session in
            let ledger = session.estate.ledger
            let vault = CredentialVault(storeDirectory: self.configuration.storeDirectory)
            guard let material = try vault.load(for: ledger) else { throw OperatorFailure.unavailable("the store has no SMKI vault") }
            let document = try draft.document(in: DUISRepository(material: material, ledger: ledger))
            let signer = try ledger.existingOrganisation(draft.organisation)
            guard let certificate = try vault.loadXMLSigningCertificates()[signer.entityId] else {
                throw OperatorFailure.refused("\(signer.id) has no XML-signing certificate in the Repository")
            }
            return (document, certificate.der)
        }
    }

    /// The devices `filter` matches (at most `limit` of them), each as the ledger shows it, and the counts.
    func devices(matching filter: String?, limit: Int) async -> Result<OperatorReplies.Devices, OperatorFailure> {
        await onDecidingQueue { session in
            let parsed = try filter.map { text throws(RequestError) in try DeviceFilter(parsing: text) } ?? .all
            try parsed.checkNames(in: session.estate.ledger)
            let selected = try session.session.writer.selection(parsed)
            return OperatorReplies.Devices(
                devices: selected.devices.prefix(limit).map { DeviceView($0, in: selected.ledger) },
                matching: selected.devices.count, inStore: session.estate.devices.count)
        }
    }

    /// A device's DS and KA certificates, issued by the DSP's Device CA as `cert show ID --usage`
    /// issues them at the DSP.
    func deviceCertificates(_ id: EUI64) async -> Result<OperatorReplies.DeviceCertificates, OperatorFailure> {
        await onDecidingQueue { session in
            _ = try session.existingDevice(id)
            guard let keyring = try CredentialVault(storeDirectory: self.configuration.storeDirectory).deviceKeyring(), keyring.authority != nil else {
                throw OperatorFailure.unavailable("the DSP holds no Device CA")
            }
            func issued(_ usage: KeyUsage) throws -> String { Data(try keyring.certificate(for: id, usage: usage).der).base64EncodedString() }
            return OperatorReplies.DeviceCertificates(digitalSigning: try issued(.digitalSigning), keyAgreement: try issued(.keyAgreement))
        }
    }

    /// One device as the ledger shows it.
    func device(_ id: EUI64) async -> Result<DeviceView, OperatorFailure> {
        await onDecidingQueue { session in DeviceView(try session.existingDevice(id), in: session.estate.ledger) }
    }

    /// One device's recorded counters and requests.
    func history(of id: EUI64) async -> Result<DeviceLog, OperatorFailure> {
        await onDecidingQueue { session in
            _ = try session.existingDevice(id)
            return DeviceLog(id, in: session.estate.ledger)
        }
    }

    /// Uses the store on the deciding queue, as a request is decided: an ``OperatorFailure`` thrown
    /// is the answer as it is, bad input a 400 with its reason code, a store that failed a 503
    /// (and it is opened afresh next time), anything else a 503.
    func onDecidingQueue<Value: Sendable>(_ use: @escaping @Sendable (DUISSession) throws -> Value) async -> Result<Value, OperatorFailure> {
        await perform(on: queue) {
            defer { self.scheduleIdleClose() }
            do {
                return .success(try use(try self.openSession()))
            } catch let failure as OperatorFailure {
                return .failure(failure)
            } catch let error as RequestError {
                return .failure(.invalid(error))
            } catch ServiceError.request(let error) {
                return .failure(.invalid(error))
            } catch let error as ServiceError {
                self.closeSession()
                // The whole line, with the store's path, is for the DSP's own output alone.
                self.log(DUISLogEntry(time: self.configuration.date(), note: DUISRequest.shown(error.description, limit: 400)))
                return .failure(.unavailable(error.withoutPath.description))
            } catch {
                return .failure(.unavailable("\(error)"))
            }
        }
    }
}

extension DUISSession {
    /// The device `id`, for a read.
    /// - Throws: ``RequestError/unknownDevice(_:suggestion:)`` with a device one slip away.
    fileprivate func existingDevice(_ id: EUI64) throws -> Device {
        // A store held whole has it at hand; one decided per device is asked for it.
        let writer = session.writer
        guard let device = try estate.devices[id] ?? writer.selection(DeviceFilter(terms: [.idContains(id.description.filter { $0 != "-" })])).devices[id]
        else {
            throw RequestError.unknownDevice(id.description, suggestion: try writer.nearMiss(of: id)?.description)
        }
        return device
    }
}

/// Why the operator API did not do what was asked, as one line and an HTTP status.
enum OperatorFailure: Error, Sendable {
    /// The request names something that does not exist or is malformed (400).
    case badRequest(String)
    /// A request the CLI would refuse as bad input: its reason code and suggestion go with it (400).
    case invalid(RequestError)
    /// The operator may not do this (403).
    case refused(String)
    /// The DSP cannot answer now (503).
    case unavailable(String)

    var status: Int {
        switch self {
        case .badRequest, .invalid: 400
        case .refused: 403
        case .unavailable: 503
        }
    }

    var reason: String {
        switch self {
        case .badRequest(let why), .refused(let why), .unavailable(let why): why
        case .invalid(let error): error.description
        }
    }
}
