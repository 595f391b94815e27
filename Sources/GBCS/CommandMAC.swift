import AnchorCore
import Crypto
import Foundation

/// The 12-octet MAC of the general-ciphering (`DD`) wrapper, GBCS-WIRE.md §3:
///
/// - the key pair is always the ACB's key-agreement key with the device's (ECDH P-256; either
///   side's private half gives the same secret Z, the x-coordinate);
/// - `K = SHA-256(00 00 00 01 ‖ Z ‖ OtherInfo)[0..<16]`, where `OtherInfo = 60 85 74 06 08 03 00 ‖
///   originator ‖ 09 ‖ CRA ‖ counter ‖ recipient`, as in the APDU header;
/// - IV = originator ‖ `00 00 00 00`; AAD = `11 00 00 00 00 00` ‖ the APDU from `DF` to the end of the signature;
/// - the MAC is the first 12 octets of the AES-128-GCM tag over an empty plaintext.
///
/// Checked against the GBCS §18.4 test vector and DCC's reference commands (see GBCSTests).
public enum CommandMAC {
    /// The MAC's length in octets.
    public static let length = 12

    /// The MAC of `apdu` (a whole general signing block, signature included) under the secret
    /// shared by the ACB's and the device's key-agreement keys.
    /// - Parameter header: the block whose originator, CRA flag, counter and recipient the key derivation uses.
    public static func compute(apdu: [UInt8], header: GeneralSigningBlock, sharedSecret: SharedSecret) -> [UInt8] {
        compute(apdu: apdu, header: header, z: sharedSecret.withUnsafeBytes { Array($0) })
    }

    /// The same, from the raw ECDH x-coordinate `z` (32 octets).
    public static func compute(apdu: [UInt8], header: GeneralSigningBlock, z: [UInt8]) -> [UInt8] {
        var otherInfo: [UInt8] = [0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00]
        otherInfo += header.originator.octets + [0x09, header.cra.rawValue]
        withUnsafeBytes(of: header.originatorCounter.value.bigEndian) { otherInfo.append(contentsOf: $0) }
        otherInfo += header.recipient.octets
        let digest = SHA256.hash(data: [0, 0, 0, 1] + z + otherInfo)
        let key = SymmetricKey(data: Array(digest.prefix(16)))
        let iv = header.originator.octets + [0, 0, 0, 0]
        let aad = [0x11, 0, 0, 0, 0, 0] + apdu
        guard let nonce = try? AES.GCM.Nonce(data: iv),
              let sealed = try? AES.GCM.seal([UInt8](), using: key, nonce: nonce, authenticating: aad)
        else { return [UInt8](repeating: 0, count: length) }
        return Array(sealed.tag.prefix(length))
    }

    /// A signed block wrapped for sending, its MAC computed with the shared x-coordinate `z`.
    public static func wrap(_ block: GeneralSigningBlock, z: [UInt8]) -> [UInt8] {
        let apdu = block.encoded
        return GBCSMessage.wrap(apdu: apdu, mac: compute(apdu: apdu, header: block, z: z))
    }

    /// Whether a decoded wrapped message's MAC is right for `sharedSecret`; `false` when it has none.
    public static func verifies(_ message: GBCSMessage, sharedSecret: SharedSecret) -> Bool {
        guard let mac = message.mac else { return false }
        let expected = compute(apdu: message.apdu, header: message.block, sharedSecret: sharedSecret)
        return zip(expected, mac).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 && mac.count == length
    }
}
