import AnchorCore
import Crypto
import Foundation
import Testing
import GBCS
import SMKI

/// The RTDS reference messages and keystore in `Fixtures/` (see its README for the source).
enum ConformanceFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Every RTDS message's path under `rtds/` (`6.15.1_CS02bNOByNO/CS02bNOByNO_6.15.1_SUCCESS_COMMAND_GBCS.HEX`)
    /// by its name (`CS02bNOByNO_6.15.1_SUCCESS_COMMAND`).
    static let messagePaths: [String: String] = {
        let root = folder.appendingPathComponent("rtds").path
        var paths: [String: String] = [:]
        for path in FileManager.default.subpaths(atPath: root) ?? [] where path.hasSuffix("_GBCS.HEX") {
            let name = String((path as NSString).lastPathComponent.dropLast("_GBCS.HEX".count))
            paths[name] = root + "/" + path
        }
        return paths
    }()

    /// The bytes of the RTDS message `<name>_GBCS.HEX`.
    static func message(_ name: String) throws -> [UInt8] {
        let path = try #require(messagePaths[name], "no RTDS message \(name)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try Hex.bytes(text.filter { !$0.isWhitespace })
    }

    /// Every RTDS message's name, sorted.
    static func allMessageNames() -> [String] {
        messagePaths.keys.sorted()
    }

    /// The RTDS keystore, read as `gbcs decode --verify --keys` reads it.
    static func keystore() throws -> (keys: VerificationKeys, leftOut: [String]) {
        let root = folder.appendingPathComponent("keystore").path
        var keys = VerificationKeys()
        var leftOut: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: root).sorted() where VerificationKeys.kind(ofFileNamed: name) != nil {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)))
            if let problem = keys.add(fileNamed: name, contents: bytes) { leftOut.append("\(name): \(problem)") }
        }
        return (keys, leftOut)
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
