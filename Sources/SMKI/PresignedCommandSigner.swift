import GBCS

/// A signature a User made itself over one command (the signed pre-command of DUIS CommandVariant
/// 5): it "signs" only those bytes, and refuses any other message.
public struct PresignedCommandSigner: CommandSigner {
    /// The bytes the User signed: the pre-command's signed part.
    public let signedBytes: [UInt8]
    /// The User's 64-octet r‖s signature.
    public let signature: [UInt8]

    /// A signer that gives `signature` for `signedBytes` alone.
    public init(signedBytes: [UInt8], signature: [UInt8]) {
        self.signedBytes = signedBytes
        self.signature = signature
    }

    /// Why a presigned signature was asked for other bytes.
    public struct DifferentMessage: Error {}

    public func signature(over message: [UInt8]) throws -> [UInt8] {
        guard message == signedBytes else { throw DifferentMessage() }
        return signature
    }
}
