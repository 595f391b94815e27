/// A request that could not be processed at all: bad input. Nothing is sent or logged.
public enum RequestError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownDevice(String)
    case unknownOrganisation(String)
    case unknownCertificate(String)
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

    /// One line for the user.
    public var description: String {
        switch self {
        case .unknownDevice(let id): "no device '\(id)'"
        case .unknownOrganisation(let id): "no organisation '\(id)'"
        case .unknownCertificate(let id): "no certificate '\(id)' (give a certificate ID or an owner's organisation ID)"
        case .invalidRequest(let message): message
        }
    }
}
