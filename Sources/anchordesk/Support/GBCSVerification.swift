import AnchorCore
import Crypto
import GBCS

/// What `gbcs decode --verify` found: the signature against the originator's DS key, and a
/// wrapped command's MAC against the ACB's and the device's key-agreement keys.
struct GBCSVerification {
    /// One check's result.
    enum Verdict: String {
        /// Checked, and right.
        case valid
        /// Checked, and wrong.
        case invalid
        /// The message carries none (a pre-command's signature, a bare message's MAC).
        case absent
        /// Present, but no key to check it with was found.
        case unchecked
    }

    var signature: Verdict
    var mac: Verdict

    /// Whether everything present was checked and is right.
    var passed: Bool { [signature, mac].allSatisfy { $0 == .valid || $0 == .absent } }

    /// What a decode without `--verify` says: `unchecked` for what is present, `absent` for the rest.
    static func notChecked(_ message: GBCSMessage) -> GBCSVerification {
        GBCSVerification(signature: message.block.signature.isSigned ? .unchecked : .absent, mac: message.mac == nil ? .absent : .unchecked)
    }

    /// Checks `message` with `keys`.
    static func check(_ message: GBCSMessage, keys: GBCSKeySource) -> GBCSVerification {
        let signature: Verdict
        switch message.block.signature {
        case .absent, .unsigned:
            signature = .absent
        case .ecdsa(let value):
            if let key = keys.signingKey(of: message.block.originator) {
                let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: value)
                signature = parsed.map { key.isValidSignature($0, for: message.signedBytes) } == true ? .valid : .invalid
            } else {
                signature = .unchecked
            }
        }
        let mac: Verdict
        if message.mac == nil {
            mac = .absent
        } else {
            let secrets = keys.macSecrets(device: message.block.recipient)
            mac = secrets.isEmpty ? .unchecked : (secrets.contains { CommandMAC.verifies(message, sharedSecret: $0) } ? .valid : .invalid)
        }
        return GBCSVerification(signature: signature, mac: mac)
    }

    var json: JSONValue {
        .object([("signature", .string(signature.rawValue)), ("mac", .string(mac.rawValue))])
    }
}
