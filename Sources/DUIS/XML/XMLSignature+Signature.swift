import Foundation

extension XMLSignature {
    /// The `ds:Signature` element: written by ``text(digest:signatureValue:keyName:)``, read
    /// strictly by ``init(in:)`` (exactly the algorithms DUIS uses, nothing else).
    struct Signature {
        static let element = "Signature"

        /// The `ds:Signature` element itself (what the enveloped-signature transform removes).
        let element: XMLElement
        /// Its SignedInfo, which the signature value signs.
        let signedInfo: XMLElement
        /// The Reference's DigestValue.
        let digest: Data
        /// SignatureValue: `r‖s`.
        let value: Data
        /// KeyInfo's X509IssuerSerial.
        let keyName: KeyName

        /// The element's text, with `signatureValue` as the whole SignatureValue element.
        static func text(digest: String, signatureValue: String, keyName: KeyName) -> String {
            "<ds:Signature xmlns:ds=\"\(XMLSignature.namespace)\"><ds:SignedInfo>"
                + "<ds:CanonicalizationMethod Algorithm=\"\(CanonicalisationMethod.exclusive.uri)\"/>"
                + "<ds:SignatureMethod Algorithm=\"\(XMLSignature.ecdsaSHA256)\"/>"
                + "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"\(XMLSignature.envelopedTransform)\"/></ds:Transforms>"
                + "<ds:DigestMethod Algorithm=\"\(XMLSignature.sha256Digest)\"/><ds:DigestValue>\(digest)</ds:DigestValue></ds:Reference>"
                + "</ds:SignedInfo>\(signatureValue)<ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial>"
                + "<ds:X509IssuerName>\(escaped(keyName.issuer))</ds:X509IssuerName>"
                + "<ds:X509SerialNumber>\(escaped(keyName.serial))</ds:X509SerialNumber>"
                + "</ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo></ds:Signature>"
        }

        /// Reads the document's one signature.
        /// - Throws: ``XMLSignatureError``.
        init(in document: ParsedXML) throws(XMLSignatureError) {
            let ds = XMLSignature.namespace
            guard let root = document.root, let signature = root.children.last,
                  signature.localName == Signature.element, signature.namespaceURI == ds
            else { throw .unsigned }
            guard root.children(Signature.element, in: ds).count == 1, Signature.count(in: root) == 1 else {
                throw .unsupported("the document holds more than one ds:Signature")
            }
            guard let signedInfo = signature.child("SignedInfo", in: ds),
                  signedInfo.child("CanonicalizationMethod", in: ds)?.attribute("Algorithm") == CanonicalisationMethod.exclusive.uri
            else { throw .unsupported("SignedInfo is not canonicalised with Exclusive XML Canonicalization 1.0") }
            guard signedInfo.child("SignatureMethod", in: ds)?.attribute("Algorithm") == XMLSignature.ecdsaSHA256 else {
                throw .unsupported("the signature method is not ECDSA with SHA-256")
            }
            let references = signedInfo.children("Reference", in: ds)
            guard references.count == 1, let reference = references.first, reference.attribute("URI") == "" else {
                throw .unsupported("it must have exactly one Reference, with URI=\"\" (the whole document)")
            }
            let transforms = reference.child("Transforms", in: ds)?.children ?? []
            guard transforms.count == 1, transforms[0].attribute("Algorithm") == XMLSignature.envelopedTransform else {
                throw .unsupported("the Reference's only transform must be enveloped-signature")
            }
            guard reference.child("DigestMethod", in: ds)?.attribute("Algorithm") == XMLSignature.sha256Digest else {
                throw .unsupported("the digest method is not SHA-256")
            }
            guard let digest = reference.child("DigestValue", in: ds).flatMap({ Data(base64Encoded: $0.text.trimmedBase64) }),
                  digest.count == 32
            else { throw .unsupported("the DigestValue is not a base64 SHA-256 digest") }
            guard let value = signature.child("SignatureValue", in: ds).flatMap({ Data(base64Encoded: $0.text.trimmedBase64) }),
                  value.count == 64
            else { throw .unsupported("the SignatureValue is not a base64 64-octet r‖s") }
            guard let issuerSerial = signature.child("KeyInfo", in: ds)?.child("X509Data", in: ds)?.child("X509IssuerSerial", in: ds),
                  let issuer = issuerSerial.child("X509IssuerName", in: ds)?.text,
                  let serial = issuerSerial.child("X509SerialNumber", in: ds)?.text
            else { throw .unsupported("KeyInfo must name the certificate by X509IssuerSerial") }
            element = signature
            self.signedInfo = signedInfo
            self.digest = digest
            self.value = value
            keyName = KeyName(
                issuer: issuer.trimmingCharacters(in: .whitespacesAndNewlines), serial: serial.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        private static func count(in element: XMLElement) -> Int {
            element.children.reduce(element.localName == Signature.element && element.namespaceURI == XMLSignature.namespace ? 1 : 0) {
                $0 + count(in: $1)
            }
        }

        private static func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
    }
}

extension String {
    /// Base64 text without the line breaks and spaces XML signers put in it.
    var trimmedBase64: String {
        String(filter { !$0.isWhitespace })
    }
}
