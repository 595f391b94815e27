import AnchorCore
import Crypto
import GBCS
import SMKI

/// A fleet of simulated SMETS2 devices that speak GBCS bytes.
///
/// It does what a real GPF does with a CS02b command (GBCS-WIRE.md §1, §3): parses the bytes;
/// checks the `DD` wrapper's MAC with its own key-agreement key and the ACB's (from its ACB KA
/// cell), and accepts a bare command only for Recovery and Contingency; verifies the ECDSA
/// signature against the certificate in the authorising cell; checks that certificate's subject
/// is the originator; enforces strictly increasing counters per remote party; applies the
/// replacements (read from their X.509 bytes); and answers with a response (or *(model)* a
/// refusal alert) signed with its own Digital Signing key. It never consults the DCC's ledger:
/// it knows only its devices, their keys and the certificates' bytes.
public struct GPFSimulator: Sendable {
    /// The devices' own state: cells and floors.
    public private(set) var devices: DeviceTable
    /// The certificates the devices can read, by the ID their cells record.
    public var directory: CertificateDirectory
    /// The devices' own keys.
    public let keys: DeviceKeyring
    /// Devices that do not answer, to model a lost response.
    public var unresponsive: Set<EUI64> = []

    /// A simulator over the given devices.
    public init(devices: DeviceTable, directory: CertificateDirectory, keys: DeviceKeyring) {
        self.devices = devices
        self.directory = directory
        self.keys = keys
    }

    /// The inventory entry for a device (what the DCC's inventory knows), or `nil`.
    public func inventoryEntry(for id: EUI64) -> DeviceInventoryEntry? {
        devices[id]?.inventoryEntry
    }

    /// Receives a command's bytes and returns the answer's bytes, or `nil` when nothing answers:
    /// bytes that do not even name a recipient, an unknown recipient, or a silent device.
    public mutating func receive(_ bytes: [UInt8]) -> [UInt8]? {
        guard let message = try? GBCSMessage.decode(bytes, recordingFields: false),
              var device = devices[message.block.recipient], !unresponsive.contains(device.id)
        else { return nil }
        var answer: GeneralSigningBlock
        if let refusal = integrityRefusal(message, on: device) {
            answer = CS02bExecution.refusal(refusal, to: message.block, from: device.id)
        } else {
            answer = CS02bExecution.answer(message, received: bytes, on: &device, directory: directory)
            devices.upsert(device)
        }
        return signed(answer, by: device.id)
    }

    /// Lets the device's clock reach `now`: if the future-dated command it holds is due, the
    /// device executes it (or fails to) and sends its 0x8F66 or 0x8F67 alert, whose bytes this
    /// returns; `nil` when nothing is due or the device is silent.
    public mutating func executeDue(_ id: EUI64, now: Timestamp) -> [UInt8]? {
        guard var device = devices[id], !unresponsive.contains(id) else { return nil }
        let alert = ScheduledExecution.alert(on: &device, now: now, directory: directory)
        devices.upsert(device)
        return alert.map { signed($0, by: id) }
    }

    /// The block's bytes, signed with the device's own Digital Signing key.
    private func signed(_ block: GeneralSigningBlock, by device: EUI64) -> [UInt8] {
        var block = block
        let signature = try? keys.signingKey(for: device).signature(for: block.signedBytes)
        block.signature = signature.map { .ecdsa(Array($0.rawRepresentation)) } ?? .unsigned
        return block.encoded
    }

    /// Why the device discards a command before reading its content: a wrapped command whose MAC
    /// does not verify, or a command that must be wrapped but is not.
    private func integrityRefusal(_ message: GBCSMessage, on device: Device) -> CommandRefusalAlert.Reason? {
        guard message.block.cra == .command else { return .malformed }
        guard message.mac != nil else {
            let mode = CS02bExecution.mode(of: message)
            return mode == .anyExceptAbnormalRootByRecovery || mode == .anyByContingency ? nil : .integrity
        }
        guard let acbCertificate = device.cells[.acbKA],
              let secret = keys.deviceSideSecret(for: device.id, acbCertificate: acbCertificate, acbKey: { directory[acbCertificate]?.keyAgreementKey }),
              CommandMAC.verifies(message, sharedSecret: secret)
        else { return .integrity }
        return nil
    }
}
