/// Signs general signing blocks on behalf of one originator.
public protocol CommandSigner: Sendable {
    /// The 64-octet ECDSA P-256 signature (r‖s) over SHA-256 of `message`.
    /// - Throws: when the key cannot sign.
    func signature(over message: [UInt8]) throws -> [UInt8]
}
