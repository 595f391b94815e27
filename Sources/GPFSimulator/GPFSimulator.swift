import AnchorCore
import GBCS
import SMKI

/// A fleet of simulated SMETS2 devices that speak GBCS bytes.
///
/// It does what a real GPF does with a CS02b command: parses the bytes, verifies the ECDSA
/// signature against the certificate in the authorising cell, checks that certificate's subject
/// is the originator, enforces strictly increasing counters per remote party, applies the
/// replacements (read from their X.509 bytes) and answers with an encoded response. It never
/// consults the DCC's ledger: it knows only its devices and the certificates' bytes.
public struct GPFSimulator: Sendable {
    /// The devices' own state: cells and floors.
    public private(set) var devices: DeviceTable
    /// The certificates the devices can read, by the ID their cells record.
    public var directory: CertificateDirectory
    /// Devices that do not answer, to model a lost response.
    public var unresponsive: Set<EUI64> = []

    /// A simulator over the given devices.
    public init(devices: DeviceTable, directory: CertificateDirectory) {
        self.devices = devices
        self.directory = directory
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
        let answer = CS02bExecution.answer(message, on: &device, directory: directory)
        devices.upsert(device)
        return answer.encoded
    }
}
