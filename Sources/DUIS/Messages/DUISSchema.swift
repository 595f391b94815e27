/// DUIS's XML vocabulary as DCC's schema (`DUIS Schema V5.4.xsd`, in
/// `SmartDCCInnovation/dccboxed-signing-tool`) names it.
public enum DUISSchema {
    /// The `sr:` namespace of every request and response element.
    public static let namespace = "http://www.dccinterface.co.uk/ServiceUserGateway"
    /// The `schemaVersion` AnchorDesk writes on its responses.
    public static let responseVersion = "5.4"
    /// The request `schemaVersion`s read: those whose 6.15 and 6.21 bodies are identical (5.1 to 5.4).
    public static let acceptedVersions: Set<String> = ["5.1", "5.2", "5.3", "5.4"]
}
