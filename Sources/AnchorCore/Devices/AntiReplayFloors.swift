/// The highest Originator Counter a device has accepted from each remote-party role.
///
/// A command is executed only if its counter is strictly greater than the floor of the role
/// whose cell authorises it.
public struct AntiReplayFloors: Hashable, Sendable {
    // Inline storage, one lane per remote-party role code (0...6); no heap allocation per device.
    private var values = SIMD8<UInt64>()

    /// All floors at zero, as manufactured.
    public init() {}

    /// The floor for one role.
    public subscript(role: OrganisationRole) -> OriginatorCounter {
        get { OriginatorCounter(values[Int(role.remotePartyRoleCode)]) }
        set { values[Int(role.remotePartyRoleCode)] = newValue.value }
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
