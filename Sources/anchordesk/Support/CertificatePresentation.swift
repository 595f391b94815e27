import GBCS
import SMKI

/// How an X.509 Organisation Certificate is shown (never its private key).
enum CertificatePresentation {
    static func members(_ certificate: OrganisationCertificate) -> [(String, JSONValue)] {
        [
            ("serial", .string(certificate.serial)),
            ("subject", .string(Presentation.safe(certificate.subjectText))),
            ("role", .optional(certificate.role?.rawValue)),
            ("entityId", .optional(certificate.entityId)),
            ("keyUsage", .optional(certificate.keyUsage?.rawValue)),
            ("subjectKeyId", .string(Hex.string(certificate.keyIdentifier))),
            ("sha1", .string(certificate.sha1)),
            ("sha256", .string(certificate.sha256)),
        ]
    }

    static func lines(_ certificate: OrganisationCertificate) -> [String] {
        [
            "  serial       \(certificate.serial)",
            "  subject      \(Presentation.safe(certificate.subjectText))",
            "  key usage    \(certificate.keyUsageText)",
            "  key ID       \(Hex.string(certificate.keyIdentifier, separator: " "))",
            "  SHA-1        \(certificate.sha1)",
            "  SHA-256      \(certificate.sha256)",
        ]
    }
}
