import AnchorCore
import Crypto
import GBCS

/// What checking a GBCS message found: its signature against the originator's Digital Signing
/// key, and a wrapped message's MAC, each with the keys it was checked with.
///
/// The MAC's key pair (GBCS-WIRE.md §3): for a command from a Remote Party, the ACB's
/// key-agreement key with the recipient device's; for a command one device sends another, and
/// for every response and alert, the originator's with the recipient's.
public struct MessageVerification: Sendable, Equatable {
    /// One check's result.
    public enum Verdict: String, Sendable {
        /// Checked, and right.
        case valid
        /// Checked, and wrong.
        case invalid
        /// The message carries none (a pre-command's signature, a bare message's MAC).
        case absent
        /// Present, but no key to check it with was found.
        case unchecked
    }

    /// The signature's verdict.
    public var signature: Verdict
    /// The MAC's verdict.
    public var mac: Verdict
    /// The Digital Signing key the signature was checked with (its file or record), if one was.
    public var signatureKey: String?
    /// The two key-agreement keys the MAC was checked with (a private one, then a public one), if it was.
    public var macKeys: [String]

    /// Whether everything present was checked and is right.
    public var passed: Bool { [signature, mac].allSatisfy { $0 == .valid || $0 == .absent } }

    /// What a decode without checking says: `unchecked` for what is present, `absent` for the rest.
    public static func notChecked(_ message: GBCSMessage) -> MessageVerification {
        MessageVerification(signature: message.block.signature.isSigned ? .unchecked : .absent,
                            mac: message.mac == nil ? .absent : .unchecked, signatureKey: nil, macKeys: [])
    }

    /// Checks `message` with `keys`.
    public static func check(_ message: GBCSMessage, keys: VerificationKeys) -> MessageVerification {
        var result = notChecked(message)
        if case .ecdsa(let value) = message.block.signature, let key = keys.signingKey(of: message.block.originator) {
            let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: value)
            result.signature = parsed.map { key.key.isValidSignature($0, for: message.signedBytes) } == true ? .valid : .invalid
            result.signatureKey = key.source
        }
        if message.mac != nil {
            let secrets = macKeyPairs(message.block, keys: keys).compactMap { keys.sharedSecret($0.0, $0.1) }
            if let right = secrets.first(where: { CommandMAC.verifies(message, sharedSecret: $0.secret) }) {
                result.mac = .valid
                result.macKeys = right.sources
            } else if let tried = secrets.first {
                result.mac = .invalid
                result.macKeys = tried.sources
            }
        }
        return result
    }

    /// The entity pairs whose key-agreement keys may have made the MAC of a message with this header.
    static func macKeyPairs(_ block: GeneralSigningBlock, keys: VerificationKeys) -> [(EUI64, EUI64)] {
        guard block.cra == .command, !keys.isDevice(block.originator) else { return [(block.originator, block.recipient)] }
        return keys.accessControlBrokers.sorted { $0.rawValue < $1.rawValue }.map { ($0, block.recipient) }
    }
}
