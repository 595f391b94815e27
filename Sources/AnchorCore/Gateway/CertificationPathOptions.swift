/// A CS02b command's `certificationPathCertificates` and `applyTimeBasedCPVChecks`: DUIS
/// (`CertificationPathCertificates`, `ApplyTimeBasedCPVChecks`) lets a User set them; the CLI
/// sends none and leaves the device's default (apply).
public struct CertificationPathOptions: Hashable, Sendable {
    /// DER certificates chaining the replacements to a trust anchor, in order.
    public var certificates: [[UInt8]]
    /// Whether the device applies its time-based certificate checks.
    public var applyTimeBasedChecks: Bool

    /// Options; the defaults are none and apply.
    public init(certificates: [[UInt8]] = [], applyTimeBasedChecks: Bool = true) {
        self.certificates = certificates
        self.applyTimeBasedChecks = applyTimeBasedChecks
    }
}
