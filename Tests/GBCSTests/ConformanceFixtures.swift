import AnchorCore
import Crypto
import Foundation
import Testing
import GBCS
import SMKI

/// The RTDS reference messages and keystore in `Fixtures/` (see its README for the source).
enum ConformanceFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The bytes of `rtds/<name>_GBCS.HEX`.
    static func message(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: folder.appendingPathComponent("rtds/\(name)_GBCS.HEX"), encoding: .utf8)
        return try Hex.bytes(text.filter { !$0.isWhitespace })
    }

    /// Every fixture message's name.
    static func allMessageNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("rtds").path)
            .filter { $0.hasSuffix("_GBCS.HEX") }.map { String($0.dropLast("_GBCS.HEX".count)) }.sorted()
    }

    /// `keystore/<entity>-<usage>.pem`.
    static func certificate(_ entity: String, _ usage: String) throws -> OrganisationCertificate {
        let pem = try String(contentsOf: folder.appendingPathComponent("keystore/\(entity)-\(usage).pem"), encoding: .utf8)
        return try OrganisationCertificate(pem: pem)
    }

    /// The ACB's public test key-agreement private key.
    static func acbKeyAgreementKey() throws -> P256.KeyAgreement.PrivateKey {
        let pem = try String(contentsOf: folder.appendingPathComponent("keystore/90b3d51f30000002-ka.key"), encoding: .utf8)
        return try P256.KeyAgreement.PrivateKey(pemRepresentation: pem)
    }

    /// The secret the ACB's test KA key shares with a reference device's KA certificate.
    static func sharedSecret(device: String) throws -> SharedSecret {
        let deviceKey = try #require(try certificate(device, "ka").keyAgreementKey)
        return try acbKeyAgreementKey().sharedSecretFromKeyAgreement(with: deviceKey)
    }
}
