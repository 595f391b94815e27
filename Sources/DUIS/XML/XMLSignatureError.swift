/// Why an XML signature was not accepted.
public enum XMLSignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The document is not well-formed, too large, or has a DOCTYPE.
    case malformed(String)
    /// No `ds:Signature` as the root's last child.
    case unsigned
    /// The signature is not the form DUIS uses (algorithms, Reference, KeyInfo).
    case unsupported(String)
    /// The key it names is not known (or not one that may sign this).
    case unknownSigner(String)
    /// The document changed after it was signed.
    case digestMismatch
    /// The signature value does not verify with the named certificate's key.
    case badSignature

    public var description: String {
        switch self {
        case .malformed(let why): "the XML is refused: \(why)"
        case .unsigned: "the document is not signed (no ds:Signature as the root's last child)"
        case .unsupported(let why): "the signature is not of the form DUIS uses: \(why)"
        case .unknownSigner(let why): "the signer is not known: \(why)"
        case .digestMismatch: "the document's digest does not match its signature's Reference (it changed after signing)"
        case .badSignature: "the signature value does not verify with the signer's certificate"
        }
    }
}
