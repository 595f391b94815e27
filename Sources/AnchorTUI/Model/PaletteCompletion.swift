import AnchorCore

/// What the command palette (`:`) could complete the text typed to: commands, organisation
/// IDs (alone they open the organisation; after `filter no=` or `supplier=` they filter) and
/// device IDs from their first hex digits (hyphens and case ignored).
public struct PaletteCompletion: Hashable, Sendable {
    /// The first few candidates, as the palette would write them.
    public var candidates: [String]
    /// How many candidates there are in all.
    public var total: Int
    /// The text Tab leaves in the field: the candidates' longest common start (the whole
    /// candidate when there is one), or the text as typed when that adds nothing.
    public var completed: String

    /// The commands the palette knows, for completion (aliases left out).
    public static let commands = ["devices", "log", "orgs", "reports", "audit", "recovery", "legacy", "mouse", "filter",
                                  "reload", "help", "quit", "device"]
    /// How many candidates are kept to show.
    static let shownLimit = 12

    /// The completions of `text` against an estate's organisations and devices.
    public init(_ text: String, estate: Estate?) {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let last = words.last ?? ""
        let head = words.dropLast().joined(separator: " ") + (words.count > 1 ? " " : "")
        let command = words.count > 1 ? words[0].lowercased() : nil
        var found = Found()
        switch command {
        case nil:
            found.add(Self.commands.filter { $0.hasPrefix(last.lowercased()) })
            found.add(Self.organisations(startingWith: last, estate))
            if let estate { found.add(Self.devices(startingWith: last, estate)) }
        case "legacy"?, "mouse"?:
            found.add(["on", "off"].filter { $0.hasPrefix(last.lowercased()) })
        case "filter"?, "f"?:
            for key in ["no=", "supplier="] where last.lowercased().hasPrefix(key) {
                found.add(Self.organisations(startingWith: String(last.dropFirst(key.count)), estate).map { key + $0 })
            }
        case "device"?, "dev"?:
            if let estate { found.add(Self.devices(startingWith: last, estate)) }
        default:
            break
        }
        candidates = found.shown
        total = found.total
        let common = found.commonStart ?? last
        completed = head + (found.total == 0 || common.count < last.count ? last : common)
    }

    /// Organisation IDs starting with `prefix` (ignoring case), in the ledger's order.
    static func organisations(startingWith prefix: String, _ estate: Estate?) -> [String] {
        guard let estate else { return [] }
        let prefix = prefix.lowercased()
        return estate.ledger.organisations.map(\.id).filter { $0.lowercased().hasPrefix(prefix) }
    }

    /// Device IDs whose hex digits start with those typed; `nil` when the text is not the start
    /// of a device ID. The count and the common start cover every match, without listing them all.
    static func devices(startingWith text: String, _ estate: Estate) -> DeviceMatches? {
        let digits = text.filter { $0 != "-" }.uppercased()
        guard !digits.isEmpty, digits.count <= 16, digits.allSatisfy(\.isHexDigit), let value = UInt64(digits, radix: 16) else { return nil }
        let shift = UInt64(4 * (16 - digits.count))
        var matches = DeviceMatches()
        for position in estate.devices.indices where estate.devices.id(at: position).rawValue >> shift == value {
            matches.add(estate.devices.id(at: position))
        }
        return matches
    }

    /// Device IDs matching a prefix: the first few, how many, and the lowest and highest (whose
    /// common start is every match's).
    struct DeviceMatches {
        var first: [EUI64] = []
        var count = 0
        var lowest: EUI64?
        var highest: EUI64?

        mutating func add(_ id: EUI64) {
            count += 1
            if first.count < PaletteCompletion.shownLimit { first.append(id) }
            if lowest.map({ id < $0 }) ?? true { lowest = id }
            if highest.map({ id > $0 }) ?? true { highest = id }
        }

        /// The common start of every match, written as device IDs are.
        var commonStart: String? {
            guard let lowest, let highest else { return nil }
            return String(zip(lowest.description, highest.description).prefix { $0 == $1 }.map(\.0))
        }
    }

    /// Candidates gathered from each source; the common start only when they are all of one kind.
    private struct Found {
        var shown: [String] = []
        var total = 0
        var commonStart: String?
        var kinds = 0

        mutating func add(_ names: [String]) {
            guard !names.isEmpty else { return }
            kinds += 1
            total += names.count
            shown += names.prefix(max(0, PaletteCompletion.shownLimit - shown.count))
            commonStart = kinds == 1 ? Self.commonStart(names) : nil
        }

        mutating func add(_ devices: DeviceMatches?) {
            guard let devices, devices.count > 0 else { return }
            kinds += 1
            total += devices.count
            shown += devices.first.prefix(max(0, PaletteCompletion.shownLimit - shown.count)).map(\.description)
            commonStart = kinds == 1 ? devices.commonStart : nil
        }

        static func commonStart(_ names: [String]) -> String {
            guard var common = names.first else { return "" }
            for name in names.dropFirst() {
                common = String(zip(common, name).prefix { $0.lowercased() == $1.lowercased() }.map(\.0))
            }
            return common
        }
    }
}
