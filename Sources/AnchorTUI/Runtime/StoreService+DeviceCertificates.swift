import AnchorCore
import AnchorStore
import SMKI

extension StoreService {
    /// No Device CA: nothing to show.
    public func deviceCertificates(_ device: EUI64) -> DeviceCertificateRows {
        DeviceCertificateRows(device: device, failure: "this store issues no device certificates")
    }
}

extension DiskStoreService {
    /// The device's certificates as `cert show DEVICE-ID --usage ds|ka` shows them.
    public func deviceCertificates(_ device: EUI64) -> DeviceCertificateRows {
        do {
            guard let keyring = try CredentialVault(storeDirectory: directory).deviceKeyring() else {
                return DeviceCertificateRows(device: device, failure: "the store has no Device CA yet")
            }
            return DeviceCertificateRows(device: device, certificates: try KeyUsage.allCases.map { try keyring.certificate(for: device, usage: $0) })
        } catch {
            return DeviceCertificateRows(device: device, failure: "could not issue them: \(error)")
        }
    }
}
