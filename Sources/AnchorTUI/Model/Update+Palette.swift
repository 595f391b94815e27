import AnchorCore

/// The command palette and the help overlay.
extension Update {
    /// The command palette's prompt: typing, Enter runs the command, Esc closes.
    static func handlePalette(_ key: Key, field: TextField, _ state: inout AppState) -> [Effect] {
        var field = field
        switch key {
        case .escape: state.modal = nil
        case .enter:
            state.modal = nil
            return runCommand(field.text, &state)
        default:
            _ = field.edit(key)
            state.modal = .palette(field)
        }
        return []
    }

    /// The command palette's commands, for its hint line and help.
    public static let paletteCommands =
        "DEVICE-ID · devices · log · orgs · reports · audit · recovery · legacy [on|off] · mouse [on|off] · filter EXPR · reload · help · quit"

    static func runCommand(_ text: String, _ state: inout AppState) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let command = words.first?.lowercased() else { return [] }
        let argument = words.dropFirst().joined(separator: " ")
        switch command {
        case "q", "quit", "exit": return [.quit]
        case "devices", "d", "dev": switchTo(.devices, &state)
        case "log", "requests", "l": switchTo(.requests(nil), &state)
        case "orgs", "organisations", "organizations", "o": switchTo(.organisations, &state)
        case "reports", "report", "p": switchTo(.reports, &state)
        case "audit":
            state.status = StatusMessage("Verifying the audit trail…", ticks: nil)
            return [.verifyAudit]
        case "recovery":
            if state.stack != [.devices] { switchTo(.devices, &state) }
            openRecovery(&state)
        case "help", "h": state.modal = .help(scroll: 0)
        case "reload", "r":
            state.status = StatusMessage("Reloading…", ticks: nil)
            return [.load]
        case "filter", "f": applyFilter(argument, &state)
        case "mouse": return setMouse(argument, &state)
        case "legacy":
            switch argument.lowercased() {
            case "on": state.legacyCounters = true
            case "off": state.legacyCounters = false
            default: state.legacyCounters.toggle()
            }
            state.status = state.legacyCounters
                ? StatusMessage("LEGACY COUNTERS ON: SRV6.21 ignores the recorded counter",
                                level: .warning, ticks: 12)
                : StatusMessage("legacy counters off: SRV6.21 uses the recorded counter rule")
        default:
            let idText = command == "device" || command == "dev" ? argument : text.trimmingSpaces
            guard let id = EUI64(idText.replacingSpaces) else {
                state.status = StatusMessage("unknown command '\(text)'; try \(paletteCommands)", level: .error, ticks: 10)
                return []
            }
            jump(to: id, &state)
        }
        return []
    }

    /// The help overlay: scrolling, and the keys that close it.
    static func handleHelp(_ key: Key, scroll: Int, _ state: inout AppState) -> [Effect] {
        switch KeyMap.action(for: key, in: [.overlay]) {
        case .moveDown: state.modal = .help(scroll: min(scroll + 1, HelpOverlay.maxScroll(state)))
        case .moveUp: state.modal = .help(scroll: max(0, scroll - 1))
        case .pageDown: state.modal = .help(scroll: min(scroll + 10, HelpOverlay.maxScroll(state)))
        case .pageUp: state.modal = .help(scroll: max(0, scroll - 10))
        case .top: state.modal = .help(scroll: 0)
        case .bottom: state.modal = .help(scroll: HelpOverlay.maxScroll(state))
        default:
            if key == .escape || key == .character("q") || key == .character("?") || key == .enter { state.modal = nil }
        }
        return []
    }
}

extension String {
    var replacingSpaces: String { filter { $0 != " " } }
}
