import AnchorCore

/// The command palette and the help overlay.
extension Update {
    /// The command palette's prompt: typing, Enter runs the command, Esc closes.
    static func handlePalette(_ key: Key, field: TextField, _ state: inout AppState) -> [Effect] {
        var field = field
        switch KeyMap.action(for: key, in: [.prompt]) {
        case .back:
            state.modal = nil
            state.paletteCompletion = nil
        case .submit:
            state.modal = nil
            state.paletteCompletion = nil
            return runCommand(field.text, &state)
        case .complete:
            let completion = PaletteCompletion(field.text, estate: state.estate)
            if completion.total == 0 {
                state.status = StatusMessage("nothing starts '\(field.text)': \(paletteCommands)", level: .warning, ticks: 6)
            }
            field = TextField(completion.completed)
            openPalette(field, &state)
        default:
            _ = field.edit(key)
            openPalette(field, &state)
        }
        return []
    }

    /// Shows the palette with `field`, and what its text could complete to.
    static func openPalette(_ field: TextField, _ state: inout AppState) {
        state.modal = .palette(field)
        state.paletteCompletion = field.text.trimmingSpaces.isEmpty ? nil : PaletteCompletion(field.text, estate: state.estate)
    }

    /// The command palette's commands, for its hint line and help.
    public static let paletteCommands =
        "DEVICE-ID (or its start) · ORG · devices · log · orgs · reports · audit · recovery · legacy [on|off] · mouse [on|off] · filter EXPR · reload · help · quit"

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
        case "filter", "f":
            if state.paging != nil { return applyPagedFilter(argument, &state) }
            applyFilter(argument, &state)
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
            if let id = EUI64(idText.replacingSpaces) {
                return jump(to: id, &state)
            } else if let organisation = state.estate?.ledger.organisations.first(where: { $0.id.lowercased() == command }),
                      words.count == 1 {
                switchTo(.organisations, &state)
                push(.organisation(organisation.id), &state)
            } else if let estate = state.estate, let matches = PaletteCompletion.devices(startingWith: idText, estate), matches.count > 0 {
                // The start of a device ID: one device is opened; more are listed to narrow down.
                guard matches.count == 1, let id = matches.first.first else {
                    state.status = StatusMessage("\(matches.count) devices start \(idText): "
                        + matches.first.prefix(4).map(\.description).joined(separator: ", ") + (matches.count > 4 ? ", …" : ""),
                                                 level: .warning, ticks: 10)
                    return []
                }
                return jump(to: id, &state)
            } else {
                state.status = StatusMessage("unknown command '\(text)'; try \(paletteCommands)", level: .error, ticks: 10)
            }
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
