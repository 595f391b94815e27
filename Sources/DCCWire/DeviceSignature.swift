import Crypto
import GBCS

/// The check the DCC makes on everything a device sends: the block is signed, and the signature
/// verifies with the device's own Digital Signing key over the bytes as received.
enum DeviceSignature {
    /// Why the message is not signed by the device, or `nil` when it is.
    static func problem(with message: GBCSMessage, deviceKey: P256.Signing.PublicKey) -> String? {
        guard case .ecdsa(let signature) = message.block.signature else { return "it is not signed" }
        guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
              deviceKey.isValidSignature(parsed, for: message.signedBytes)
        else { return "its signature does not verify with the device's key" }
        return nil
    }
}
