import CAnchorPKCS11
import Crypto
import Foundation
import Synchronization

/// A PKCS#11 token (an HSM, or Debian's SoftHSM2 in tests) logged in as its user: private keys
/// it holds sign (`CKM_ECDSA`) and agree keys (`CKM_ECDH1_DERIVE`) inside it and never leave it.
/// One session, used by one call at a time. A token opened with the same settings in the same
/// process is the same token (``open(_:)``).
public final class PKCS11Token: @unchecked Sendable {
    /// A private key in the token, by its object handle.
    public struct Key: Sendable, Hashable {
        /// The key's label in the token.
        public let label: String
        fileprivate let handle: UInt
    }

    /// The settings it was opened with.
    public let settings: PKCS11Settings
    private let token: OpaquePointer

    /// The tokens opened, and the PINs refused, by settings: a PIN the token refused is not
    /// offered again by this process, as an HSM locks its user PIN after a few wrong tries.
    private static let opened = Mutex<[PKCS11Settings: Result<PKCS11Token, PKCS11Error>]>([:])

    private init(settings: PKCS11Settings, token: OpaquePointer) {
        self.settings = settings
        self.token = token
    }

    deinit {
        anchor_p11_close(token)
    }

    /// The token the settings name, logged in: loaded, found and logged in once per process.
    /// - Throws: ``PKCS11Error`` when the module cannot be loaded, no token has the label, or
    ///   the PIN is refused (and then at every later call, without offering it again); the PIN
    ///   is never in the message.
    public static func open(_ settings: PKCS11Settings) throws(PKCS11Error) -> PKCS11Token {
        let result: Result<PKCS11Token, PKCS11Error> = opened.withLock { tokens in
            if let known = tokens[settings] { return known }
            var handle: OpaquePointer?
            var detail = [CChar](repeating: 0, count: 512)
            let code = settings.pin.withUnsafeBufferPointer { pin in
                pin.withMemoryRebound(to: CChar.self) { pin in
                    anchor_p11_open(settings.module, settings.tokenLabel, pin.baseAddress, pin.count, &handle, &detail, detail.count)
                }
            }
            guard code == 0, let handle else {
                let reason = String(decoding: detail.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let failure = PKCS11Error(code: code, doing: "open the token '\(settings.tokenLabel)'", detail: reason.isEmpty ? nil : reason)
                if PKCS11Error.pinRefusals.contains(code) { tokens[settings] = .failure(failure) }
                return .failure(failure)
            }
            let token = PKCS11Token(settings: settings, token: handle)
            tokens[settings] = .success(token)
            return .success(token)
        }
        return try result.get()
    }

    /// The one private key labelled `label`.
    /// - Throws: ``PKCS11Error`` when there is none, or more than one.
    public func privateKey(labelled label: String) throws(PKCS11Error) -> Key {
        var handle: UInt = 0
        let code = anchor_p11_find_private_key(token, label, &handle)
        guard code == 0 else { throw PKCS11Error(code: code, doing: "find the private key '\(label)' in the token '\(settings.tokenLabel)'") }
        return Key(label: label, handle: handle)
    }

    /// The ECDSA P-256 signature (r ‖ s) over SHA-256 of `message`, made by `key` in the token.
    /// - Throws: ``PKCS11Error`` when the token refuses.
    public func signature(over message: [UInt8], with key: Key) throws(PKCS11Error) -> [UInt8] {
        let digest = Array(SHA256.hash(data: message))
        var signature = [UInt8](repeating: 0, count: 64)
        let code = anchor_p11_sign_digest(token, key.handle, digest, &signature)
        guard code == 0 else { throw PKCS11Error(code: code, doing: "sign with '\(key.label)'") }
        return signature
    }

    /// The x-coordinate Z of the point `key` shares with `peer`, computed in the token.
    /// - Throws: ``PKCS11Error`` when the token refuses.
    public func sharedSecret(_ key: Key, with peer: P256.KeyAgreement.PublicKey) throws(PKCS11Error) -> [UInt8] {
        let point = Array(peer.x963Representation)
        var z = [UInt8](repeating: 0, count: 32)
        let code = anchor_p11_ecdh(token, key.handle, point, &z)
        guard code == 0 else { throw PKCS11Error(code: code, doing: "agree a key with '\(key.label)'") }
        return z
    }

    /// Whether the token holds a private key labelled `label`.
    /// - Throws: ``PKCS11Error`` when it holds more than one, or the token refuses.
    public func holdsPrivateKey(labelled label: String) throws(PKCS11Error) -> Bool {
        do {
            _ = try privateKey(labelled: label)
            return true
        } catch where error.code == UInt(ANCHOR_P11_NO_SUCH_KEY) {
            return false
        }
    }

    /// Puts `key` into the token as a private, sensitive, non-extractable key labelled `label`,
    /// for signing or (`forSigning` false) for key agreement, and returns it.
    /// - Throws: ``PKCS11Error`` when the token refuses, or a key already has the label.
    public func importKey(_ key: P256.Signing.PrivateKey, label: String, forSigning: Bool) throws(PKCS11Error) -> Key {
        let doing = "import the private key '\(label)' into the token '\(settings.tokenLabel)'"
        if try holdsPrivateKey(labelled: label) { throw PKCS11Error(code: UInt(ANCHOR_P11_LABEL_TAKEN), doing: doing) }
        var handle: UInt = 0
        let code = Array(key.rawRepresentation).withUnsafeBufferPointer { scalar in
            anchor_p11_import_p256(token, label, scalar.baseAddress, forSigning ? 1 : 0, &handle)
        }
        guard code == 0 else { throw PKCS11Error(code: code, doing: doing) }
        return Key(label: label, handle: handle)
    }

    /// Removes `key` from the token (one imported whose check failed).
    /// - Throws: ``PKCS11Error`` when the token refuses.
    public func destroy(_ key: Key) throws(PKCS11Error) {
        let code = anchor_p11_destroy_object(token, key.handle)
        guard code == 0 else { throw PKCS11Error(code: code, doing: "remove the private key '\(key.label)'") }
    }
}

/// Which PKCS#11 token holds keys, and how to log in to it.
public struct PKCS11Settings: Sendable, Hashable {
    /// The module (shared library) path, such as `/usr/lib/softhsm/libsofthsm2.so`.
    public var module: String
    /// The token's label.
    public var tokenLabel: String
    /// The user PIN, as bytes: never printed.
    public var pin: [UInt8]

    /// Settings for a token.
    public init(module: String, tokenLabel: String, pin: [UInt8]) {
        self.module = module
        self.tokenLabel = tokenLabel
        self.pin = pin
    }
}

/// A token's refusal, named: what AnchorDesk was doing and the PKCS#11 return value.
public struct PKCS11Error: Error, Sendable, CustomStringConvertible {
    /// The `CK_RV`, or one of the shim's own codes.
    public let code: UInt
    /// The message, one line, without the PIN or any key material.
    public let description: String

    init(code: UInt, doing: String, detail: String? = nil) {
        self.code = code
        description = "could not \(doing): \(Self.name(of: code))" + (detail.map { " (\($0))" } ?? "")
    }

    /// The return values of a refused PIN: CKR_PIN_INCORRECT, _INVALID, _LEN_RANGE, _EXPIRED
    /// and _LOCKED (PKCS#11 v2.40).
    static let pinRefusals: ClosedRange<UInt> = 0xA0...0xA4

    /// What a return value means, in words for the common ones.
    static func name(of code: UInt) -> String {
        switch code {
        case 0xA0: "the PIN is wrong (CKR_PIN_INCORRECT)"
        case 0xA2: "the PIN is the wrong length (CKR_PIN_LEN_RANGE)"
        case 0xA4: "the PIN is locked (CKR_PIN_LOCKED)"
        case 0xE0: "the token is not present (CKR_TOKEN_NOT_PRESENT)"
        case 0x82: "the key cannot be used for that (CKR_KEY_FUNCTION_NOT_PERMITTED)"
        case 0x70: "the mechanism is not supported (CKR_MECHANISM_INVALID)"
        case UInt(ANCHOR_P11_MODULE_NOT_LOADED): "the PKCS#11 module could not be loaded"
        case UInt(ANCHOR_P11_NO_SUCH_TOKEN): "no initialised token has that label"
        case UInt(ANCHOR_P11_NO_SUCH_KEY): "no private key has that label"
        case UInt(ANCHOR_P11_TWO_KEYS): "more than one private key has that label"
        case UInt(ANCHOR_P11_BAD_LENGTH): "the token's answer has the wrong length"
        case UInt(ANCHOR_P11_OUT_OF_MEMORY): "out of memory"
        case UInt(ANCHOR_P11_LABEL_TAKEN): "a private key with that label is already in the token"
        default: "CK_RV 0x" + String(code, radix: 16, uppercase: true)
        }
    }
}
