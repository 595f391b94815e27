/// Why a certificate is not an SMKI Organisation Certificate AnchorDesk can use, in words for an operator.
public struct CertificateCheckError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable {
        case unreadable = "certificate-unreadable"
        case wrongCurve = "certificate-wrong-curve"
        case wrongRole = "certificate-wrong-role"
        case wrongKeyUsage = "certificate-wrong-key-usage"
        case wrongEntity = "certificate-wrong-entity"
        case missingField = "certificate-missing-field"
        case keyMismatch = "certificate-key-mismatch"
        case untrusted = "certificate-untrusted"
        case notValidNow = "certificate-not-valid-now"
    }

    /// The kind, also the CLI's error code.
    public var code: Code
    /// The reason.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
