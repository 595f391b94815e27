import AnchorStore

/// The server settings AnchorDesk depends on to keep what it acknowledges.
enum PostgresServerSettings {
    /// Refuses a server that does not flush to disk; warns when commits return before they are flushed.
    /// - Returns: warnings to show.
    static func check(_ session: PostgresSession) throws(StoreError) -> [String] {
        let fsync = try session.value("select current_setting('fsync')", as: String.self)
        guard fsync != "off" else {
            throw StoreError(code: .io,
                             message: "the server runs with fsync=off, so a crash could lose requests it acknowledged; AnchorDesk will not use it (set fsync=on)",
                             path: session.location.shown)
        }
        let synchronous = try session.value("select current_setting('synchronous_commit')", as: String.self)
        guard synchronous == "off" else { return [] }
        return ["\(session.location.shown): the server runs with synchronous_commit=off: a request acknowledged in the last moments before a server crash can be lost (set synchronous_commit=on)"]
    }
}
