/// AnchorDesk's version: what `anchordesk --version` prints. The one place it is written.
public enum AnchorDeskVersion {
    /// The version of this build.
    public static let current = "0.1.0"
}
