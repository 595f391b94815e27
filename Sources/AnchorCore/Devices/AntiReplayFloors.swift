/// The highest Originator Counter a device has accepted from each remote-party role.
///
/// A command is executed only if its counter is strictly greater than the floor of the role
/// whose cell authorises it.
public struct AntiReplayFloors: Hashable, Sendable {
    // Inline storage, one field per remote-party role code (0...6): no heap allocation and
    // no over-alignment per device.
    private var root: UInt64 = 0
    private var recovery: UInt64 = 0
    private var supplier: UInt64 = 0
    private var networkOperator: UInt64 = 0
    private var acb: UInt64 = 0
    private var transitionalCoS: UInt64 = 0
    private var wanProvider: UInt64 = 0

    /// All floors at zero, as manufactured.
    public init() {}

    /// The floor for one role.
    public subscript(role: OrganisationRole) -> OriginatorCounter {
        get {
            switch role {
            case .root: OriginatorCounter(root)
            case .recovery: OriginatorCounter(recovery)
            case .supplier: OriginatorCounter(supplier)
            case .networkOperator: OriginatorCounter(networkOperator)
            case .acb: OriginatorCounter(acb)
            case .transitionalCoS: OriginatorCounter(transitionalCoS)
            case .wanProvider: OriginatorCounter(wanProvider)
            }
        }
        set {
            switch role {
            case .root: root = newValue.value
            case .recovery: recovery = newValue.value
            case .supplier: supplier = newValue.value
            case .networkOperator: networkOperator = newValue.value
            case .acb: acb = newValue.value
            case .transitionalCoS: transitionalCoS = newValue.value
            case .wanProvider: wanProvider = newValue.value
            }
        }
    }
}

extension AntiReplayFloors: Codable {
    private struct RoleKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: RoleKey.self)
        for key in container.allKeys {
            guard let role = OrganisationRole(rawValue: key.stringValue) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "unknown remote-party role '\(key.stringValue)'")
            }
            self[role] = try container.decode(OriginatorCounter.self, forKey: key)
        }
    }

    /// Writes only the non-zero floors, keyed by role.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RoleKey.self)
        for role in OrganisationRole.allCases where self[role].value != 0 {
            try container.encode(self[role], forKey: RoleKey(stringValue: role.rawValue))
        }
    }
}
