import Crypto
import GBCS

/// A ``CommandSigner`` holding an organisation's Digital Signing private key.
public struct P256CommandSigner: CommandSigner {
    private let key: P256.Signing.PrivateKey

    /// A signer with this key.
    public init(key: P256.Signing.PrivateKey) {
        self.key = key
    }

    public func signature(over message: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: message).rawRepresentation)
    }
}
