/// Why a lifecycle action was refused. The raw values are the reason strings in output.
public enum LifecycleRefusal: String, Codable, Sendable, CaseIterable {
    /// Devices still hold the organisation's certificates (Req 4): hand them back first.
    case certificatesOnDevices = "certificates-on-devices"
    /// The organisation asked for revocation and may not subscribe again (Req 5).
    case noFurtherSubscription = "no-further-subscription"
    /// Revocation before ceasing: a DCC User must cease first (Req 5 follows Req 4).
    case stillDccUser = "still-dcc-user"
}
