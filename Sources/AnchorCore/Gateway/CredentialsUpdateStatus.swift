/// The per-replacement status a device reports in a CS02b response (GBCS codes).
public enum CredentialsUpdateStatus: UInt8, Codable, Sendable {
    case success = 0
    case badCertificate = 5
    case noTrustAnchor = 10
    case insufficientMemory = 17
    case trustAnchorNotFound = 25
    case resourcesBusy = 30
    case other = 127
}
