import AnchorCore
import SMKI

/// A device's Digital Signing and Key Agreement certificates as the device page shows them (the
/// fields `cert show DEVICE-ID --usage ds|ka` prints), or why they could not be shown.
public struct DeviceCertificateRows: Sendable, Equatable {
    /// One certificate.
    public struct Row: Sendable, Equatable {
        /// DS or KA.
        public var usage: KeyUsage
        /// The serial number, hex.
        public var serial: String
        /// The subject key identifier, hex.
        public var keyIdentifier: String
        /// The issuer (the Device CA).
        public var issuer: String
        /// The start of validity.
        public var validFrom: Timestamp
        /// The end of validity.
        public var validUntil: Timestamp
    }

    /// The device.
    public var device: EUI64
    /// Its certificates, DS first.
    public var rows: [Row]
    /// Why there are none to show, when there are none.
    public var failure: String?

    /// The rows for a device's certificates.
    public init(device: EUI64, certificates: [OrganisationCertificate]) {
        self.device = device
        rows = certificates.compactMap { certificate in
            guard let usage = certificate.keyUsage else { return nil }
            return Row(usage: usage, serial: hex(certificate.certificate.serialNumber.bytes),
                       keyIdentifier: hex(certificate.keyIdentifier), issuer: certificate.issuerName,
                       validFrom: Timestamp(secondsSince1970: Int64(certificate.certificate.notValidBefore.timeIntervalSince1970.rounded(.down))),
                       validUntil: Timestamp(secondsSince1970: Int64(certificate.certificate.notValidAfter.timeIntervalSince1970.rounded(.down))))
        }
        failure = nil
    }

    /// Asked for, not issued yet.
    public static func issuing(_ device: EUI64) -> DeviceCertificateRows {
        DeviceCertificateRows(device: device, certificates: [])
    }

    /// Whether they were asked for and have not arrived.
    public var isIssuing: Bool { rows.isEmpty && failure == nil }

    /// Nothing to show, and why.
    public init(device: EUI64, failure: String) {
        self.device = device
        rows = []
        self.failure = failure
    }
}

/// Octets as upper-case hex, two digits each.
private func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
}
