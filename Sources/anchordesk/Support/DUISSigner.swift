import AnchorCore
import AnchorStore
import Crypto
import DUIS
import Foundation
import SMKI

/// A User's DUIS signing material: its XML-signing key and certificate (`<entity-id>-xml.key`
/// in its key directory; the certificate for that key from the store's Repository, else
/// `-xml.pem` beside the key) and
/// its GBCS Digital Signing key, for signing pre-commands.
struct DUISSigner {
    let organisation: Organisation
    let xmlKey: P256.Signing.PrivateKey
    let xmlCertificate: OrganisationCertificate
    let digitalSigningKey: P256.Signing.PrivateKey?

    /// The material of `organisation` in the store's ledger.
    init(options: CommonOptions, keys: String?, organisation id: String) throws(CLIFailure) {
        let store = try options.openForReading()
        defer { store.close() }
        let organisation = try Arguments.organisation(id, in: store.estate.ledger)
        self.organisation = organisation
        let vault = CredentialVault(storeDirectory: options.storeDirectory, userKeys: keys)
        let folders: [UserKeyDirectory]
        do {
            // A key directory named for this run is the only one read: never a demo key in its place.
            if let keys {
                folders = [UserKeyDirectory(path: keys)]
            } else {
                folders = [try vault.demoUserKeys()].compactMap { $0 }
            }
        } catch {
            throw CLIFailure(error)
        }
        var found: (P256.Signing.PrivateKey, UserKeyDirectory)?
        var signing: P256.Signing.PrivateKey?
        for folder in folders {
            do {
                if found == nil, let key = try folder.xmlSigningKey(organisation.entityId) { found = (key, folder) }
                if signing == nil { signing = try folder.key(organisation.entityId, .digitalSigning) }
            } catch {
                throw CLIFailure(error)
            }
        }
        guard let (key, folder) = found else {
            let file = UserKeyDirectory.fileStem(organisation.entityId) + "-xml.key"
            throw CLIFailure.badInput(
                "no XML-signing key for \(Presentation.safe(id)) (\(organisation.entityId)): put \(file) in its key directory and pass --keys DIR",
                code: "no-user-key")
        }
        // The store's own certificate for the key first: a folder several demo stores share keeps
        // the newest store's copy beside the key, which the other stores' Repositories do not hold.
        let certificate: OrganisationCertificate?
        do {
            certificate = try [vault.loadXMLSigningCertificates()[organisation.entityId], folder.xmlSigningCertificate(organisation.entityId)]
                .compactMap { $0 }.first { $0.publicKey?.rawRepresentation == key.publicKey.rawRepresentation }
        } catch {
            throw CLIFailure(error)
        }
        guard let certificate else {
            throw CLIFailure.badInput("no XML-signing certificate matches \(Presentation.safe(id))'s XML-signing key", code: "certificate-key-mismatch")
        }
        xmlKey = key
        xmlCertificate = certificate
        digitalSigningKey = signing
    }

    /// `document` with the User's enveloped signature.
    func signed(_ document: [UInt8]) throws(CLIFailure) -> [UInt8] {
        do {
            return try XMLSignature.sign(
                document, key: xmlKey, keyName: XMLSignature.KeyName(issuer: xmlCertificate.issuerName, serial: xmlCertificate.decimalSerial))
        } catch {
            throw CLIFailure.badInput("cannot sign: \(error.description)", code: "bad-xml")
        }
    }
}

/// Reading a DUIS document from a file or standard input, and writing one out.
enum DUISFiles {
    /// The document as it is, or with `--json` as `{"xml": "…"}`.
    static func write(_ document: [UInt8], json: Bool) {
        if json {
            Console.out(JSONValue.object([("xml", .string(String(decoding: document, as: UTF8.self)))]).rendered())
        } else {
            Console.document(document)
        }
    }

    static func read(_ file: String) throws(CLIFailure) -> [UInt8] {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let data else { throw CLIFailure.badInput("cannot read \(Presentation.safe(file))", code: "unreadable-file") }
        return Array(data)
    }
}
