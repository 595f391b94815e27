/// Where the store lives when no `--store` is given.
public enum StoreLocation {
    /// `--store`, else `$ANCHORDESK_STORE`, else `$XDG_DATA_HOME/anchordesk`, else
    /// `~/.local/share/anchordesk`.
    public static func resolve(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let store = environment["ANCHORDESK_STORE"], !store.isEmpty { return store }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/anchordesk" }
        return (environment["HOME"] ?? ".") + "/.local/share/anchordesk"
    }
}
