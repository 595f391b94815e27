import Foundation
import SMKI

extension PKCS11Settings {
    /// The variables that name the token holding the DCC's keys.
    public static let moduleVariable = "ANCHORDESK_PKCS11_MODULE"
    public static let tokenVariable = "ANCHORDESK_PKCS11_TOKEN"
    public static let pinFileVariable = "ANCHORDESK_PKCS11_PIN_FILE"

    /// The token the environment names: the module `$ANCHORDESK_PKCS11_MODULE`, the token
    /// labelled `$ANCHORDESK_PKCS11_TOKEN`, and the user PIN in the file
    /// `$ANCHORDESK_PKCS11_PIN_FILE` (read as a private key is: only its owner may read it; a
    /// final line break is not part of it). `nil` when none of the three is set.
    /// - Throws: ``StoreError`` `.invalidArgument` when only some are set, or the PIN file is
    ///   empty; `.untrusted` when others may read it; others when it cannot be read.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> PKCS11Settings? {
        let names = [moduleVariable, tokenVariable, pinFileVariable]
        let values = names.map { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        guard values.contains(where: { $0 != nil }) else { return nil }
        guard let module = values[0], let token = values[1], let pinFile = values[2] else {
            let missing = zip(names, values).filter { $0.1 == nil }.map(\.0)
            throw StoreError.invalidArgument("\(names.joined(separator: ", ")) name the token holding the DCC's keys together: \(missing.joined(separator: " and ")) is not set")
        }
        guard var pin = try PrivateKeyFile.read(pinFile, followingLinks: true) else {
            throw StoreError(code: .notFound, message: "the token's PIN file (\(pinFileVariable)) does not exist", path: pinFile)
        }
        while pin.last == UInt8(ascii: "\n") || pin.last == UInt8(ascii: "\r") { pin.removeLast() }
        guard !pin.isEmpty else { throw StoreError(code: .invalidArgument, message: "the token's PIN file is empty", path: pinFile) }
        return PKCS11Settings(module: module, tokenLabel: token, pin: pin)
    }
}
