/// The signature part that ends a general signing block.
public enum CommandSignature: Equatable, Sendable {
    /// No signature-length byte at all: a pre-command, before the User signs it.
    case absent
    /// Signature length `00`: the block is not signed.
    case unsigned
    /// Signature length `40` and the 64-octet ECDSA P-256 signature r‖s.
    case ecdsa([UInt8])

    /// Whether there is a signature.
    public var isSigned: Bool {
        if case .ecdsa = self { return true }
        return false
    }
}
