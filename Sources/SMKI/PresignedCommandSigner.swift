import GBCS

/// Signatures a User made itself over commands (the signed pre-commands of DUIS CommandVariant
/// 5, one or a bulk group's): it "signs" only those exact bytes, and refuses any other message.
public struct PresignedCommandSigner: CommandSigner {
    /// Each signature (64-octet r‖s) by the bytes the User signed: a pre-command's signed part.
    private let signatures: [[UInt8]: [UInt8]]

    /// A signer that gives `signature` for `signedBytes` alone.
    public init(signedBytes: [UInt8], signature: [UInt8]) {
        signatures = [signedBytes: signature]
    }

    /// A signer that gives each signature for the bytes it was made over, and nothing else.
    public init(signatures: [[UInt8]: [UInt8]]) {
        self.signatures = signatures
    }

    /// Why a presigned signature was asked for other bytes.
    public struct DifferentMessage: Error {}

    public func signature(over message: [UInt8]) throws -> [UInt8] {
        guard let signature = signatures[message] else { throw DifferentMessage() }
        return signature
    }
}
