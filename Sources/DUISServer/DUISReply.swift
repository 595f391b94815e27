/// What the server answers one HTTP request with.
public struct DUISReply: Sendable {
    /// The HTTP status.
    public var status: Int
    /// `application/xml` for a DUIS response, `text/plain` for a request that is not DUIS at all.
    public var contentType: String
    /// The body.
    public var body: [UInt8]

    /// A signed DUIS response (HTTP 200, whatever its code).
    static func duis(_ signed: [UInt8]) -> DUISReply {
        DUISReply(status: 200, contentType: "application/xml", body: signed)
    }

    /// A request that cannot be answered in DUIS: one `error:` line.
    static func plain(_ status: Int, _ message: String) -> DUISReply {
        DUISReply(status: status, contentType: "text/plain; charset=utf-8", body: Array("error: \(message)\n".utf8))
    }
}
