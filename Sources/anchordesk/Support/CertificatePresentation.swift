import AnchorCore
import Foundation
import GBCS
import SMKI

/// How an X.509 certificate is shown, an organisation's or a device's (never a private key).
enum CertificatePresentation {
    static func members(_ certificate: OrganisationCertificate) -> [(String, JSONValue)] {
        [
            ("serial", .string(certificate.serial)),
            ("subject", .string(Presentation.safe(certificate.subjectText))),
            ("role", .optional(certificate.role?.rawValue)),
            ("entityId", .optional(certificate.entityId)),
            ("deviceId", .optional(certificate.deviceId)),
            ("keyUsage", .optional(certificate.keyUsage?.rawValue)),
            ("subjectKeyId", .string(Hex.string(certificate.keyIdentifier))),
            ("issuer", .string(Presentation.safe(certificate.issuerName))),
            ("notValidBefore", .string(timestamp(certificate.certificate.notValidBefore))),
            ("notValidAfter", .string(timestamp(certificate.certificate.notValidAfter))),
            ("readLeniently", .bool(certificate.readLeniently)),
            ("sha1", .string(certificate.sha1)),
            ("sha256", .string(certificate.sha256)),
        ]
    }

    static func lines(_ certificate: OrganisationCertificate) -> [String] {
        [
            "  serial       \(certificate.serial)",
            "  subject      \(certificate.subjectText.isEmpty ? "(empty)" : Presentation.safe(certificate.subjectText))",
        ] + (certificate.deviceId.map { ["  device ID    \($0) (subjectAltName hardwareModuleName)"] } ?? []) + [
            "  key usage    \(certificate.keyUsageText)",
            "  key ID       \(Hex.string(certificate.keyIdentifier, separator: " "))",
            "  issuer       \(Presentation.safe(certificate.issuerName))",
            "  valid        \(timestamp(certificate.certificate.notValidBefore)) to \(timestamp(certificate.certificate.notValidAfter))",
        ] + (certificate.readLeniently ? ["  encoding     not strict DER: read through a DER re-encoding; its signature is checked over its own bytes"] : []) + [
            "  SHA-1        \(certificate.sha1)",
            "  SHA-256      \(certificate.sha256)",
        ]
    }

    /// `2025-01-31T00:00:00Z`.
    static func timestamp(_ date: Date) -> String {
        Timestamp(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down))).description
    }
}
