import Crypto
import Foundation

/// Enveloped XMLDSig signatures as DUIS uses them (DUIS's signing rules, and the form DCC's
/// `dccboxed-signing-tool` writes): the `ds:Signature` is the root's last child; SignedInfo is
/// canonicalised with Exclusive C14N; one Reference, `URI=""`, whose only transform is
/// enveloped-signature, so its digest is SHA-256 over the **inclusive** Canonical XML 1.0 of
/// the document without the signature; ECDSA P-256 with SHA-256, the value raw `r‖s`; the key
/// named by `X509IssuerSerial` with the serial in decimal.
///
/// Both canonical forms come from libxml2; nothing here canonicalises by hand.
public enum XMLSignature {
    /// The XMLDSig namespace.
    public static let namespace = "http://www.w3.org/2000/09/xmldsig#"
    static let envelopedTransform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    static let sha256Digest = "http://www.w3.org/2001/04/xmlenc#sha256"
    static let ecdsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"

    /// Who signed: the certificate's issuer (as written in KeyInfo) and serial number (decimal).
    public struct KeyName: Equatable, Sendable {
        /// `X509IssuerName`.
        public var issuer: String
        /// `X509SerialNumber`, decimal.
        public var serial: String

        /// A key name.
        public init(issuer: String, serial: String) {
            self.issuer = issuer
            self.serial = serial
        }
    }

    /// `document` with an enveloped signature by `key`, naming the certificate `keyName`.
    /// - Throws: ``XMLDocumentError`` for a document that is not well-formed or is already signed.
    public static func sign(_ document: [UInt8], key: P256.Signing.PrivateKey, keyName: KeyName) throws(XMLDocumentError) -> [UInt8] {
        let unsigned = try ParsedXML(document)
        guard let root = unsigned.root else { throw XMLDocumentError("the document has no root element") }
        guard root.children(Signature.element, in: namespace).isEmpty else { throw XMLDocumentError("the document is already signed") }
        let digest = Data(SHA256.hash(data: try unsigned.canonical(.inclusive, excluding: nil)))
        guard let end = closingTagStart(of: root, in: document) else { throw XMLDocumentError("the root element has no closing tag") }
        let placeholder = "<ds:SignatureValue></ds:SignatureValue>"
        let template = Signature.text(digest: digest.base64EncodedString(), signatureValue: placeholder, keyName: keyName)
        let withTemplate = Array(document[..<end]) + Array(template.utf8) + Array(document[end...])
        let templated = try ParsedXML(withTemplate)
        guard let signedInfoElement = templated.root?.children.last?.child("SignedInfo", in: namespace) else {
            throw XMLDocumentError("the signature template is not the root's last child")
        }
        let signedInfo = try templated.canonical(.exclusive, of: signedInfoElement)
        let value: Data
        do {
            value = try key.signature(for: signedInfo).rawRepresentation
        } catch {
            throw XMLDocumentError("the key could not sign")
        }
        let signature = Signature.text(
            digest: digest.base64EncodedString(),
            signatureValue: "<ds:SignatureValue>\(value.base64EncodedString())</ds:SignatureValue>", keyName: keyName)
        return Array(document[..<end]) + Array(signature.utf8) + Array(document[end...])
    }

    /// Checks the enveloped signature of `document` and returns the key it names and the
    /// document (so the caller reads exactly what was verified), once `publicKey(for:)` gives
    /// a key the signature verifies with.
    /// - Throws: ``XMLSignatureError``.
    public static func verify(
        _ document: [UInt8], publicKey: (KeyName) throws(XMLSignatureError) -> P256.Signing.PublicKey
    ) throws(XMLSignatureError) -> (signer: KeyName, document: ParsedXML) {
        let parsed: ParsedXML
        do {
            parsed = try ParsedXML(document)
        } catch {
            throw .malformed(error.description)
        }
        return (try verify(parsed, publicKey: publicKey), parsed)
    }

    /// Checks the enveloped signature of a document already parsed (the server reads its header
    /// first) and returns the key it names, once `publicKey(for:)` gives a key it verifies with.
    ///
    /// The signature value is checked over SignedInfo (a few hundred bytes) before the document
    /// is canonicalised and digested, so a request whose signature is not the named key's is
    /// refused without that work.
    /// - Throws: ``XMLSignatureError``.
    public static func verify(
        _ parsed: ParsedXML, publicKey: (KeyName) throws(XMLSignatureError) -> P256.Signing.PublicKey
    ) throws(XMLSignatureError) -> KeyName {
        let signature = try Signature(in: parsed)
        let key = try publicKey(signature.keyName)
        let canonicalSignedInfo: [UInt8]
        do {
            canonicalSignedInfo = try parsed.canonical(.exclusive, of: signature.signedInfo)
        } catch {
            throw .malformed(error.description)
        }
        guard let value = try? P256.Signing.ECDSASignature(rawRepresentation: signature.value),
              key.isValidSignature(value, for: canonicalSignedInfo)
        else { throw .badSignature }
        let canonicalDocument: [UInt8]
        do {
            canonicalDocument = try parsed.canonical(.inclusive, excluding: signature.element)
        } catch {
            throw .malformed(error.description)
        }
        guard Data(SHA256.hash(data: canonicalDocument)) == signature.digest else {
            throw .digestMismatch
        }
        return signature.keyName
    }

    /// Where the root element's closing tag starts: the last `</` followed by the root's name.
    static func closingTagStart(of root: XMLElement, in document: [UInt8]) -> Int? {
        let prefix = root.node.pointee.ns?.pointee.prefix.map { String(cString: $0) + ":" } ?? ""
        let closing = Array(("</" + prefix + root.localName).utf8)
        guard document.count >= closing.count else { return nil }
        return stride(from: document.count - closing.count, through: 0, by: -1).first { start in
            document[start..<(start + closing.count)].elementsEqual(closing)
        }
    }
}
