import Crypto
import Foundation
import SMKI

/// DCC's published DUIS messages, certificates and test key in `Fixtures/` (see its README for each source).
enum DUISFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func certificate(_ name: String) throws -> OrganisationCertificate {
        try OrganisationCertificate(pem: String(decoding: try bytes(name), as: UTF8.self))
    }

    /// The test Network Operator's XML-signing key (PKCS#8 DER).
    static func networkOperatorXMLKey() throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(derRepresentation: try bytes("xml-sign-90B3D51F30020000-ds.key"))
    }
}
