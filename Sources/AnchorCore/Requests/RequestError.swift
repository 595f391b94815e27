/// A request that could not be processed at all: bad input. Nothing is sent or logged.
public enum RequestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No device with this ID; `suggestion` is one a slip away that the store holds.
    case unknownDevice(String, suggestion: String? = nil)
    /// No organisation with this ID; `suggestion` is the store's nearest name (``NameSuggestion``).
    case unknownOrganisation(String, suggestion: String? = nil)
    /// No certificate, nor owner of one, by this name; `suggestion` as for an organisation.
    case unknownCertificate(String, suggestion: String? = nil)
    case invalidRequest(String)

    /// The contract's reason code.
    public var code: String {
        switch self {
        case .unknownDevice: "unknown-device"
        case .unknownOrganisation: "unknown-org"
        case .unknownCertificate: "unknown-certificate"
        case .invalidRequest: "invalid-request"
        }
    }

    /// The name the store holds that the user probably meant, for an unknown one.
    public var suggestion: String? {
        switch self {
        case .unknownDevice(_, let suggestion), .unknownOrganisation(_, let suggestion), .unknownCertificate(_, let suggestion): suggestion
        case .invalidRequest: nil
        }
    }

    /// One line for the user.
    public var description: String {
        let stated = switch self {
        case .unknownDevice(let id, _): "no device '\(id)'"
        case .unknownOrganisation(let id, _): "no organisation '\(id)'"
        case .unknownCertificate(let id, _): "no certificate '\(id)' (give a certificate ID or an owner's organisation ID)"
        case .invalidRequest(let message): message
        }
        return suggestion.map { "\(stated): did you mean '\($0)'?" } ?? stated
    }
}
