import AnchorCore

/// A fleet of simulated SMETS2 devices behind the ``DeviceGateway`` protocol.
///
/// It does what a real GPF does with a CS02b command: checks that the authorising cell holds
/// the originator's certificate, enforces strictly increasing counters per remote party,
/// applies the replacements and answers with a status per replacement and the floor changes.
/// It never consults the DCC's ledger: it knows only its devices and certificate subjects.
public struct GPFSimulator: DeviceGateway, Sendable {
    /// The devices' own state: cells and floors.
    public private(set) var devices: DeviceTable
    /// What each certificate says about its subject, as a device would read it from the certificate.
    public var certificateSubjects: [String: CertificateSubject]
    /// Devices that do not answer, to model a lost response.
    public var unresponsive: Set<EUI64> = []

    /// A simulator over the given devices.
    public init(devices: DeviceTable, certificateSubjects: [String: CertificateSubject]) {
        self.devices = devices
        self.certificateSubjects = certificateSubjects
    }

    public func inventoryEntry(for id: EUI64) -> DeviceInventoryEntry? {
        devices[id]?.inventoryEntry
    }

    public mutating func deliver(_ command: UpdateSecurityCredentialsCommand) -> DeviceResponse? {
        guard var device = devices[command.recipient], !unresponsive.contains(command.recipient) else { return nil }
        let outcome = CS02bExecution.execute(command, on: &device, subjects: certificateSubjects)
        devices.upsert(device)
        return outcome
    }
}
