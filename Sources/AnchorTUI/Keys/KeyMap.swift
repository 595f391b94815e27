/// Everything a key can do.
public enum Action: Hashable, Sendable {
    case moveDown, moveUp, pageDown, pageUp, top, bottom
    case open, back, quit
    case filter, sortNextColumn, reverseSort, sortByColumn
    case help, palette, nextView, previousView, reload, copyDeviceID
    case launchRequest, counterHistory, requestLog, organisations
    case nextField, previousField, previousChoice, nextChoice, submit, clearField
    case toggleFocus, toggleOption
    case subscribe, cease, revoke, verifyAudit, recoveryEvent
    case reports, switchReport, reportDate
    case nextProblem, previousProblem, complete, mark
}

/// Where a binding applies.
public enum KeyContext: Hashable, Sendable, CaseIterable {
    /// Every screen without a dialog open.
    case global
    /// Scrolling lists and pages.
    case list
    case devices
    case device
    case counters
    case requests
    /// The organisations table and an organisation's page.
    case organisations
    /// The reports view.
    case reports
    /// The request launcher's form.
    case form
    /// A confirmation dialog.
    case confirm
    /// A one-line prompt (filter, command palette).
    case prompt
    /// A bulk job's progress dialog.
    case progress
    /// The help screen and the outcome panel.
    case overlay
}

/// How the help screen groups bindings.
public enum KeyGroup: String, Sendable, CaseIterable {
    case navigation = "Navigation"
    case views = "Views"
    case devices = "Devices list"
    case device = "Device"
    case organisations = "Organisations"
    case reports = "Reports and request log"
    case requests = "Request launcher and forms"
    case dialogs = "Prompts and dialogs"
    case app = "Application"
}

/// One binding: its keys, what it does, and how help, the footer and README's key table name it.
public struct KeyBinding: Sendable {
    public var action: Action
    public var keys: [Key]
    /// The keys as shown, such as `j/↓`: every key's label, unless the binding names them
    /// shorter (`1-6`).
    public var keyLabel: String
    /// What it does, in a few words.
    public var label: String
    public var group: KeyGroup
    public var contexts: Set<KeyContext>
    /// A short label for the footer; `nil` keeps the binding out of the footer.
    public var hint: String?
    /// It writes to the store: `--read-only` disables it, and help and the footer say so.
    public var writes = false

    /// A binding; `keyLabel` only where the keys' own labels joined by `/` would be too long.
    init(action: Action, keys: [Key], keyLabel: String? = nil, label: String, group: KeyGroup, contexts: Set<KeyContext>,
         hint: String?, writes: Bool = false) {
        self.action = action
        self.keys = keys
        self.keyLabel = keyLabel ?? keys.map(\.label).joined(separator: "/")
        self.label = label
        self.group = group
        self.contexts = contexts
        self.hint = hint
        self.writes = writes
    }
}

/// The one key table: the update function, the help screen and the footer all read it.
public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        // Navigation
        KeyBinding(action: .moveDown, keys: [.character("j"), .down], label: "Move down",
                   group: .navigation, contexts: [.list, .overlay], hint: nil),
        KeyBinding(action: .moveUp, keys: [.character("k"), .up], label: "Move up",
                   group: .navigation, contexts: [.list, .overlay], hint: "j/k move"),
        KeyBinding(action: .pageDown, keys: [.pageDown, .control("f"), .control("d"), .character(" ")],
                   label: "Page down (Space: not on the devices list)", group: .navigation,
                   contexts: [.list, .overlay], hint: nil),
        KeyBinding(action: .pageUp, keys: [.pageUp, .control("b"), .control("u")],
                   label: "Page up", group: .navigation, contexts: [.list, .overlay], hint: nil),
        KeyBinding(action: .top, keys: [.character("g"), .home], label: "First row",
                   group: .navigation, contexts: [.list, .overlay], hint: nil),
        KeyBinding(action: .bottom, keys: [.character("G"), .end], label: "Last row",
                   group: .navigation, contexts: [.list, .overlay], hint: nil),
        KeyBinding(action: .open, keys: [.enter, .character("l"), .right],
                   label: "Drill down: open the selected row", group: .navigation,
                   contexts: [.devices, .requests, .organisations, .reports], hint: "⏎ open"),
        KeyBinding(action: .back, keys: [.escape, .character("h"), .left, .backspace],
                   label: "Back up the drill-down (at the top: clear marks, then filter); never quits",
                   group: .navigation, contexts: [.global, .overlay], hint: "Esc back"),
        // Views
        KeyBinding(action: .nextView, keys: [.tab], label: "Next view: Devices, Request log, Organisations, Reports",
                   group: .views, contexts: [.global], hint: nil),
        KeyBinding(action: .previousView, keys: [.backTab], label: "Previous view",
                   group: .views, contexts: [.global], hint: nil),
        KeyBinding(action: .requestLog, keys: [.character("L")],
                   label: "Request log view (from a device: drill down to its requests)", group: .views,
                   contexts: [.global], hint: "L log"),
        KeyBinding(action: .organisations, keys: [.character("O")], label: "Organisations view",
                   group: .views, contexts: [.global], hint: nil),
        KeyBinding(action: .reports, keys: [.character("P")],
                   label: "Reports view: post-commissioning and counter-risk", group: .views, contexts: [.global], hint: nil),
        KeyBinding(action: .palette, keys: [.character(":")],
                   label: "Command palette: a device ID or its start, an organisation, a command",
                   group: .views, contexts: [.global], hint: ": cmd"),
        // Devices list
        KeyBinding(action: .filter, keys: [.character("/")],
                   label: "Filter as you type: no=ORG supplier=ORG type=GPF counter, or part of an ID",
                   group: .devices, contexts: [.devices], hint: "/ filter"),
        KeyBinding(action: .sortNextColumn, keys: [.character("s")], label: "Sort by the next column",
                   group: .devices, contexts: [.devices], hint: "s sort"),
        KeyBinding(action: .reverseSort, keys: [.character("S")], label: "Reverse the sort direction",
                   group: .devices, contexts: [.devices], hint: nil),
        KeyBinding(action: .sortByColumn, keys: (1...6).map { .character(Character(String($0))) }, keyLabel: "1-6",
                   label: "Sort by column 1-6 (the same key again reverses)", group: .devices, contexts: [.devices], hint: nil),
        KeyBinding(action: .mark, keys: [.character(" ")],
                   label: "Mark or unmark the device; r then sends to every marked one as one job",
                   group: .devices, contexts: [.devices], hint: "Space mark"),
        KeyBinding(action: .copyDeviceID, keys: [.character("y")],
                   label: "Copy the device ID (OSC 52) and show it in the status line", group: .devices,
                   contexts: [.devices, .device, .counters], hint: "y copy"),
        // Device
        KeyBinding(action: .counterHistory, keys: [.character("c")], label: "Counter history and chart",
                   group: .device, contexts: [.device, .devices], hint: "c counters"),
        KeyBinding(action: .launchRequest, keys: [.character("r")],
                   label: "Launch SRV6.15.1 or SRV6.21 for this device",
                   group: .device, contexts: [.device, .devices, .counters], hint: "r request", writes: true),
        KeyBinding(action: .recoveryEvent, keys: [.character("E")],
                   label: "EXCEPTIONAL: Recovery Event on the filtered devices (type the count)",
                   group: .devices, contexts: [.devices], hint: nil, writes: true),
        // Organisations
        KeyBinding(action: .subscribe, keys: [.character("u")],
                   label: "Subscribe to SMKI Organisation Certificates (confirm)", group: .organisations,
                   contexts: [.organisations], hint: "u subscribe", writes: true),
        KeyBinding(action: .cease, keys: [.character("x")],
                   label: "Cease to be a DCC User (confirm; Space there hands its devices back first)",
                   group: .organisations, contexts: [.organisations], hint: "x cease", writes: true),
        KeyBinding(action: .revoke, keys: [.character("v")],
                   label: "Revoke its certificates: the Certificate Revocation Request (confirm)", group: .organisations,
                   contexts: [.organisations], hint: "v revoke", writes: true),
        KeyBinding(action: .verifyAudit, keys: [.character("A")],
                   label: "Verify the audit trail: intact, entries, head hash", group: .organisations,
                   contexts: [.organisations, .reports], hint: nil),
        // Reports and request log
        KeyBinding(action: .filter, keys: [.character("/")],
                   label: "Reports, request log: show the rows holding every word typed, as you type", group: .reports,
                   contexts: [.reports, .requests], hint: "/ filter"),
        KeyBinding(action: .sortNextColumn, keys: [.character("s")], label: "Reports, request log: sort by the next column",
                   group: .reports, contexts: [.reports, .requests], hint: "s sort"),
        KeyBinding(action: .reverseSort, keys: [.character("S")], label: "Reports, request log: reverse the order",
                   group: .reports, contexts: [.reports, .requests], hint: nil),
        KeyBinding(action: .sortByColumn, keys: (1...5).map { .character(Character(String($0))) }, keyLabel: "1-5",
                   label: "Reports, request log: sort by column N (the same key again reverses)", group: .reports,
                   contexts: [.reports, .requests], hint: nil),
        KeyBinding(action: .nextProblem, keys: [.character("n")],
                   label: "Next problem row: non-compliant, no-recorded-counter, rejected", group: .reports,
                   contexts: [.reports, .requests], hint: "n next problem"),
        KeyBinding(action: .previousProblem, keys: [.character("N")], label: "Previous problem row", group: .reports,
                   contexts: [.reports, .requests], hint: nil),
        KeyBinding(action: .switchReport, keys: [.character("t")],
                   label: "Switch report: post-commissioning / counter-risk", group: .reports, contexts: [.reports],
                   hint: "t switch"),
        KeyBinding(action: .reportDate, keys: [.character("d")],
                   label: "Post-commissioning as-of date (YYYY-MM-DD; empty: now)", group: .reports, contexts: [.reports],
                   hint: "d as-of"),
        // Request launcher
        KeyBinding(action: .nextField, keys: [.tab, .down], label: "Next field",
                   group: .requests, contexts: [.form], hint: "Tab next"),
        KeyBinding(action: .previousField, keys: [.backTab, .up], label: "Previous field",
                   group: .requests, contexts: [.form], hint: nil),
        KeyBinding(action: .previousChoice, keys: [.left], label: "Previous choice (service)",
                   group: .requests, contexts: [.form], hint: nil),
        KeyBinding(action: .nextChoice, keys: [.right, .character(" ")], label: "Next choice (service)",
                   group: .requests, contexts: [.form], hint: "←/→ service"),
        KeyBinding(action: .clearField, keys: [.control("u")], label: "Clear the field",
                   group: .requests, contexts: [.form, .prompt], hint: nil),
        KeyBinding(action: .submit, keys: [.enter],
                   label: "Review: confirm what the preview shows", group: .requests, contexts: [.form], hint: "⏎ review"),
        KeyBinding(action: .toggleOption, keys: [.character(" ")],
                   label: "Toggle the dialog's option (cease: hand its devices back first)", group: .dialogs,
                   contexts: [.confirm], hint: "Space option"),
        // Dialogs
        KeyBinding(action: .toggleFocus, keys: [.tab, .backTab, .left, .right, .character("h"), .character("l")],
                   label: "Move between Cancel and Send (focus starts on Cancel)",
                   group: .dialogs, contexts: [.confirm], hint: "←/→ choose"),
        KeyBinding(action: .submit, keys: [.enter], label: "Press the focused button / apply",
                   group: .dialogs, contexts: [.confirm, .prompt], hint: "⏎ ok"),
        KeyBinding(action: .complete, keys: [.tab],
                   label: "In the command palette: complete a device ID, organisation or command",
                   group: .dialogs, contexts: [.prompt], hint: "Tab complete"),
        KeyBinding(action: .back, keys: [.escape], label: "Cancel and close (the filter prompt: put the old filter back)",
                   group: .dialogs, contexts: [.confirm, .prompt, .form], hint: "Esc cancel"),
        KeyBinding(action: .back, keys: [.escape, .control("c")],
                   label: "While a bulk job runs: stop after the current group (all of it durable)",
                   group: .dialogs, contexts: [.progress], hint: "Esc stop after this group"),
        // Application
        KeyBinding(action: .help, keys: [.character("?")], label: "This help",
                   group: .app, contexts: [.global], hint: "? help"),
        KeyBinding(action: .reload, keys: [.character("R"), .control("r")],
                   label: "Reload the store from disk", group: .app, contexts: [.global], hint: nil),
        KeyBinding(action: .quit, keys: [.character("q")],
                   label: "Quit (in a sub-view: back)", group: .app, contexts: [.global, .overlay], hint: "q quit"),
        KeyBinding(action: .quit, keys: [.control("c")], label: "Quit at once (not while a bulk job runs)",
                   group: .app, contexts: Set(KeyContext.allCases).subtracting([.progress]), hint: nil),
    ]

    /// The action a key performs in a context, looking at the context's own bindings first.
    /// - Parameter contexts: most specific first.
    public static func action(for key: Key, in contexts: [KeyContext]) -> Action? {
        for context in contexts {
            if let binding = bindings.first(where: { $0.contexts.contains(context) && $0.keys.contains(key) }) {
                return binding.action
            }
        }
        return nil
    }

    /// The footer hints for a set of contexts, in table order.
    public static func hints(for contexts: [KeyContext]) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for context in contexts {
            for binding in bindings where binding.contexts.contains(context) {
                guard let hint = binding.hint, seen.insert(hint).inserted else { continue }
                result.append(hint)
            }
        }
        return result
    }

    /// Every binding of a group, for the help screen.
    public static func bindings(in group: KeyGroup) -> [KeyBinding] {
        bindings.filter { $0.group == group }
    }
}

extension KeyMap {
    /// README's key table, made from the bindings as the help screen is: a test checks that
    /// README holds exactly this, so the two cannot drift apart.
    public static var markdownTable: String {
        var lines = ["| keys | action |", "|---|---|"]
        for group in KeyGroup.allCases {
            let bindings = bindings(in: group)
            guard !bindings.isEmpty else { continue }
            lines.append("| **\(group.rawValue)** | |")
            for binding in bindings {
                let label = binding.label + (binding.writes ? " (disabled with `--read-only`)" : "")
                lines.append("| \(escaped(binding.keyLabel)) | \(escaped(label)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escaped(_ text: String) -> String {
        text.replacingAll("|", with: "\\|")
    }
}
