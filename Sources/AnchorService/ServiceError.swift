import AnchorCore
import AnchorStore

/// Why a use case did not do what it was asked; each front end says it in its own way (an
/// exit code, a status line, a DUIS response code).
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    /// Bad input (an unknown organisation, device or certificate): nothing was logged.
    case request(RequestError)
    /// The store could not be opened, read or written before anything was decided.
    case store(StoreError)
    /// A DCC User's request, and AnchorDesk holds no Digital Signing key for that User: a User
    /// signs with its own key, found in a key directory it was given.
    case missingUserKey(Organisation)
    /// The decision was made but could not be made durable: whether it reached the store is
    /// unknown until the store is usable again.
    case notAcknowledged(StoreError, device: EUI64)
    /// An environment variable's value cannot be used.
    case badEnvironment(String)

    public var description: String {
        switch self {
        case .request(let error): error.description
        case .store(let error): error.description
        case .missingUserKey(let organisation):
            "no private key for \(DisplaySafeText.sanitize(organisation.id)) (\(organisation.entityId)): a User signs with its own key; "
                + "put \(UserKeyDirectory.fileStem(organisation.entityId))-ds.key in a key directory and pass --keys DIR or set ANCHORDESK_KEYS"
        case .notAcknowledged(let error, _): "the request was not acknowledged: \(error.description)"
        case .badEnvironment(let why): why
        }
    }
}
