/// A party known to the DCC: a Supplier, a Gas Network Operator, the ACB, and so on.
public struct Organisation: Hashable, Codable, Sendable, Identifiable {
    /// A short slug, such as `national-grid` or `dcc-acb`.
    public var id: String
    /// The organisation's full name.
    public var name: String
    /// Its remote-party role.
    public var role: OrganisationRole
    /// Its entity ID, which devices see as the originator of its commands.
    public var entityId: EUI64
    /// Whether it is a DCC User (may send Service Requests). Optional for GNOs (FIA Req 6).
    public var dccUser: Bool
    /// Whether it subscribes to SMKI Organisation Certificates.
    public var subscribed: Bool
    /// The highest Originator Counter it has used so far; its next command uses a greater one.
    public var lastCounter: OriginatorCounter

    /// Whether `id` can be an organisation ID: one to 64 lowercase ASCII letters, digits and
    /// hyphens, such as `national-grid`. Nothing else: an ID is printed in tables, CSV cells
    /// and file names, where `=`, spaces or control characters would be read as something else.
    public static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        }
    }

    /// Creates an organisation.
    public init(
        id: String, name: String, role: OrganisationRole, entityId: EUI64,
        dccUser: Bool, subscribed: Bool, lastCounter: OriginatorCounter = OriginatorCounter(0)
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.entityId = entityId
        self.dccUser = dccUser
        self.subscribed = subscribed
        self.lastCounter = lastCounter
    }
}
