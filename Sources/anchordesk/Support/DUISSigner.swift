import AnchorCore
import AnchorStore
import Crypto
import DCCWire
import DUIS
import Foundation
import GBCS
import SMKI

/// A User's DUIS signing material: its XML-signing key and certificate (`<entity-id>-xml.key`
/// in its key directory; the certificate for that key from the store's Repository, else
/// `-xml.pem` beside the key) and
/// its GBCS Digital Signing key, for signing pre-commands.
struct DUISSigner {
    /// The signing User's entity ID.
    let entityId: EUI64
    let xmlKey: P256.Signing.PrivateKey
    let xmlCertificate: OrganisationCertificate
    let digitalSigningKey: P256.Signing.PrivateKey?

    /// The material of `organisation` in the store's ledger.
    init(options: CommonOptions, keys: String?, organisation id: String) throws(CLIFailure) {
        let store = try options.openForReading()
        defer { store.close() }
        let organisation = try Arguments.organisation(id, in: store.estate.ledger)
        entityId = organisation.entityId
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

    /// The material for a User signing as `entityId` with the keys in `folder`, whose XML-signing
    /// certificate (from the DSP's Repository) is `xmlCertificate`.
    init(entityId: EUI64, folder: UserKeyDirectory, xmlCertificate: OrganisationCertificate, shownAs name: String) throws(CLIFailure) {
        let key: P256.Signing.PrivateKey?
        do {
            key = try folder.xmlSigningKey(entityId)
            digitalSigningKey = try folder.key(entityId, .digitalSigning)
        } catch {
            throw CLIFailure(error)
        }
        guard let key else {
            throw CLIFailure.badInput(
                "no XML-signing key for \(Presentation.safe(name)) (\(entityId)) in \(Presentation.safe(folder.path)): put "
                    + UserKeyDirectory.fileStem(entityId) + "-xml.key there", code: "no-user-key")
        }
        guard xmlCertificate.publicKey?.rawRepresentation == key.publicKey.rawRepresentation else {
            throw CLIFailure.badInput("\(Presentation.safe(name))'s XML-signing key is not the key of its certificate in the DSP's Repository",
                                      code: "certificate-key-mismatch")
        }
        self.entityId = entityId
        xmlKey = key
        self.xmlCertificate = xmlCertificate
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

extension DUISSigner {
    /// The CommandVariant 5 request for a serviceT answer (`I0`): its pre-command signed with the
    /// User's Digital Signing key, under the same Request ID, the XML signed with its XML-signing key.
    /// - Parameters:
    ///   - response: the DSP's `sr:Response` holding `PreCommand/GBCSPayload`.
    ///   - source: what the response is called in messages (a file name, or the DSP).
    ///   - name: the User as the command named it.
    ///   - asked: what the User asked the DSP for, which the pre-command must be before it is
    ///     signed (through the operator API, where the DSP, not this machine, made it).
    func signedPreCommandRequest(from response: [UInt8], source: String, shownAs name: String, asked: AskedPreCommand? = nil) throws(CLIFailure) -> [UInt8] {
        let document: ParsedXML
        do {
            document = try ParsedXML(response)
        } catch {
            throw CLIFailure.badInput("refused \(Presentation.safe(source)): \(error.description)", code: "bad-xml")
        }
        let sr = DUISSchema.namespace
        guard let header = document.root?.child("Header", in: sr),
              let requestID = header.child("RequestID", in: sr).flatMap({ DUISRequestID($0.text) }),
              let payload = document.root?.child("Body", in: sr)?.child("ResponseMessage", in: sr)?.child("PreCommand", in: sr)?
                  .child("GBCSPayload", in: sr).flatMap({ Data(base64Encoded: $0.text.filter { !$0.isWhitespace }) }),
              let message = try? GBCSMessage.decode(Array(payload), recordingFields: false), message.block.signature == .absent
        else { throw CLIFailure.badInput("\(Presentation.safe(source)) is not a response holding a pre-command", code: "no-pre-command") }
        guard requestID.originator == entityId else {
            throw CLIFailure.badInput("the pre-command is \(requestID.originator)'s, not \(Presentation.safe(name))'s", code: "not-authorised")
        }
        if let asked, let mismatch = asked.mismatch(requestID: requestID, message) {
            throw CLIFailure(exitCode: .internalError, code: "unreadable-answer",
                             message: "\(Presentation.safe(source)) handed back a pre-command that is not the one asked for (\(mismatch)); nothing was signed")
        }
        var block = message.block
        guard let key = digitalSigningKey else {
            throw CLIFailure.badInput("no Digital Signing key for \(Presentation.safe(name)) in its key directory", code: "no-user-key")
        }
        do {
            block.signature = .ecdsa(try P256CommandSigner(key: key).signature(over: block.signedBytes))
        } catch {
            throw CLIFailure(exitCode: .internalError, code: "cannot-sign", message: "the pre-command could not be signed: \(error)")
        }
        return try signed(DUISRequestDocument.signedPreCommand(requestID: requestID, gbcs: block.encoded))
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

/// What a User asked the DSP for, which the pre-command it hands back to sign must be: a CS02b
/// command from the User to the request's device, under the Request ID the User signed, with the
/// counter it carries, the floor and execution of the request the User signed, and that request's
/// replacement certificates in the Network Operator cells (``PreCommandShape``), as
/// ``BulkPreCommandSigner`` checks a bulk run's.
struct AskedPreCommand {
    let requestID: DUISRequestID
    /// The SRV6.15.1 request the User signed.
    let body: CredentialsReplacement
    /// What the User asked to place (`--cert`).
    let replacing: String

    /// What differs, if anything.
    func mismatch(requestID answered: DUISRequestID, _ message: GBCSMessage) -> String? {
        guard answered == requestID else { return "Request ID \(answered), not \(requestID)" }
        let block = message.block
        guard block.cra == .command, block.originator == requestID.originator, block.recipient == requestID.target,
              block.originatorCounter.value == requestID.counter, message.mac == nil,
              case .updateSecurityCredentialsCommand(let payload) = message.payload
        else { return "not a CS02b command from \(requestID.originator) to \(requestID.target) with counter \(requestID.counter)" }
        guard payload.newFloor == body.floor ?? requestID.counter else { return "another floor" }
        guard payload.executionDateTime == CommandWire.executionDateTime(body.execution) else { return "another executionDateTime" }
        if let problem = PreCommandShape.problem(payload, counter: requestID.counter, replacing: replacing) { return problem }
        let signed = [(TrustAnchorCell.networkOperatorDS, body.digitalSigning), (.networkOperatorKA, body.keyAgreement)].compactMap { cell, der in
            der.map { (cell, $0) }
        }
        guard payload.replacements.map({ $0.target.cell }) == signed.map(\.0), payload.replacements.map(\.certificate) == signed.map(\.1) else {
            return "other certificates than the request signed"
        }
        return nil
    }
}
