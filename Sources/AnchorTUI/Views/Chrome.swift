import AnchorCore

/// The title bar, the context line, the status line and the key hints.
enum Chrome {
    static func drawTitleBar(_ state: AppState, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let width = buffer.width
        buffer.fill(x: 0, y: 0, width: width, height: 1, style: .bar)
        var crumbs = ["AnchorDesk"] + state.stack.map(\.title)
        if case .requests(let device?) = state.screen, !state.stack.contains(.device(device)) {
            crumbs.insert(device.description, at: crumbs.count - 1)
        }
        var flags: [Span] = []
        if state.readOnly { flags.append(Span(" READ-ONLY ", CellStyle(bold: true, reverse: false, colour: .warning))) }
        if state.legacyCounters { flags.append(Span(" LEGACY COUNTERS ", CellStyle(bold: true, reverse: false, colour: .error))) }
        let flagsWidth = flags.reduce(0) { $0 + TextWidth.of($1.text) }
        let crumbText = " " + crumbs.joined(separator: glyphs.breadcrumb)
        let crumbWidth = min(TextWidth.of(crumbText), max(20, width - flagsWidth - 16))
        buffer.write(TextWidth.truncate(crumbText, to: crumbWidth, ellipsis: glyphs.ellipsis), x: 0, y: 0,
                     style: CellStyle(bold: true, reverse: true, colour: .title))
        let pathRoom = width - crumbWidth - flagsWidth - 9
        var right: [Span] = flags
        if pathRoom >= 6 {
            right.append(Span(" store " + leftTruncated(state.storePath, to: pathRoom, ellipsis: glyphs.ellipsis) + " ",
                              .bar))
        }
        let rightWidth = right.reduce(0) { $0 + TextWidth.of($1.text) }
        buffer.draw(right, x: max(crumbWidth + 1, width - rightWidth), y: 0, width: rightWidth)
    }

    static func drawContext(_ spans: [Span], into buffer: inout CellBuffer) {
        buffer.fill(x: 0, y: 1, width: buffer.width, height: 1)
        buffer.draw([Span(" ")] + spans, x: 0, y: 1, width: buffer.width)
    }

    static func drawStatusLine(_ state: AppState, into buffer: inout CellBuffer) {
        let y = buffer.height - 2
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1)
        switch state.modal {
        case .filter(let field):
            drawPrompt("/", field, hint: "  " + filterHint(state, typed: field.text), y: y, into: &buffer)
            return
        case .palette(let field):
            var hint = "  " + Update.paletteCommands
            if let completion = state.paletteCompletion {
                hint = completion.total == 0 ? "  no match · " + Update.paletteCommands
                    : "  Tab: " + completion.candidates.joined(separator: "  ")
                        + (completion.total > completion.candidates.count ? "  (\(completion.total) in all)" : "")
            }
            drawPrompt(":", field, hint: hint, y: y, into: &buffer)
            return
        case .asOf(let field):
            drawPrompt("as of ", field, hint: "  YYYY-MM-DD (end of that day, UTC) · empty: now · Enter apply · Esc cancel",
                       y: y, into: &buffer)
            return
        default: break
        }
        guard let status = state.status else { return }
        let glyphs = state.appearance.glyphs
        switch status.level {
        case .info: buffer.write(" " + status.text, x: 0, y: y, style: .plain)
        case .warning:
            buffer.draw([Span(" warning: ", .warning), Span(status.text, .warning)], x: 0, y: y, width: buffer.width)
        case .error:
            buffer.draw([Span(" \(glyphs.rejected) error: ", .error), Span(status.text, .error)], x: 0, y: y, width: buffer.width)
        }
    }

    /// Beside the filter prompt: how many rows the text typed shows, then the keys.
    static func filterHint(_ state: AppState, typed: String) -> String {
        let keys = "Enter keep · Esc put back"
        switch state.screen {
        case .reports, .requests:
            return "\(Update.listFilterStatus(state)) · words a row holds · " + keys
        default:
            guard state.filterText == typed.trimmingSpaces else {
                // A filter naming an organisation the store does not hold: the nearest name.
                if (try? DeviceFilter(parsing: typed)) != nil {
                    do { _ = try Update.typedFilter(typed, state) } catch { return "\(error.description) · Tab completes · " + keys }
                }
                return "not a filter yet: no=ORG supplier=ORG type=GPF counter ID-part · " + keys
            }
            var count = "\(state.deviceRows.count) match"
            if let paging = state.paging {
                count = paging.filter == state.filter ? "\(paging.matching) match" : "counting in the database" + state.appearance.glyphs.ellipsis
            }
            return (typed.trimmingSpaces.isEmpty ? "no filter" : count) + " · no=ORG supplier=ORG type=GPF counter ID-part · " + keys
        }
    }

    static func drawPrompt(_ prompt: String, _ field: TextField, hint: String, y: Int, into buffer: inout CellBuffer) {
        var x = buffer.write(prompt, x: 0, y: y, style: .key)
        let characters = Array(field.text)
        for (index, character) in characters.enumerated() {
            x = buffer.write(String(character), x: x, y: y, style: index == field.cursor ? .plain.reversed : .plain)
        }
        if field.cursor >= characters.count { x = buffer.write(" ", x: x, y: y, style: .plain.reversed) }
        buffer.write(hint, x: x, y: y, style: .muted)
    }

    static func drawHints(_ state: AppState, into buffer: inout CellBuffer) {
        let y = buffer.height - 1
        let style = CellStyle(reverse: true, colour: .title)
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: style)
        let contexts: [KeyContext]
        var writesOrOptions: [String] = []
        switch state.modal {
        case .launcher: contexts = [.form]
        case .recoveryForm:
            contexts = [.form]
            writesOrOptions = ["←/→ service"]
        case .confirm, .markedConfirm: contexts = [.confirm]
        case .lifecycleConfirm(let confirmation):
            contexts = [.confirm]
            if !confirmation.canHandBack { writesOrOptions = ["Space option"] }
        case .filter, .palette, .asOf, .recoveryConfirm: contexts = [.prompt]
        case .help, .outcome, .jobOutcome: contexts = [.overlay]
        case .progress: contexts = [.progress]
        case .sending: contexts = []
        case nil: contexts = Update.contexts(for: state.screen)
        }
        var hints = KeyMap.hints(for: contexts)
        if case .confirm = state.modal { writesOrOptions = ["Space option"] }
        if case .markedConfirm = state.modal { writesOrOptions = ["Space option"] }
        if state.readOnly {
            writesOrOptions += KeyMap.bindings.filter(\.writes).compactMap(\.hint)
        }
        hints.removeAll { writesOrOptions.contains($0) }
        if case .help = state.modal { hints = ["j/k scroll", "Esc close"] }
        if case .outcome = state.modal { hints = ["⏎ close"] }
        if case .jobOutcome = state.modal { hints = ["⏎ close"] }
        // ": cmd", "? help" and "q quit" always show; the others as far as they fit.
        let pinned = hints.filter { [": cmd", "? help", "q quit", "Esc cancel"].contains($0) || $0.hasPrefix("Esc stop") }
        var shown = pinned
        for hint in hints where !pinned.contains(hint) {
            let candidate = shown.dropLast(pinned.count) + [hint] + pinned
            if TextWidth.of(" " + candidate.joined(separator: "  ")) <= buffer.width { shown = Array(candidate) }
        }
        var text = " " + shown.joined(separator: "  ")
        if !state.appearance.unicode {
            for (symbol, word) in [("⏎", "Enter"), ("↓", "Dn"), ("↑", "Up"), ("←", "Left"), ("→", "Right")] {
                text = text.replacingAll(symbol, with: word)
            }
        }
        buffer.write(TextWidth.truncate(text, to: buffer.width, ellipsis: ""), x: 0, y: y, style: style)
    }

    static func leftTruncated(_ text: String, to width: Int, ellipsis: String) -> String {
        guard TextWidth.of(text) > width else { return text }
        var kept = ""
        for character in text.reversed() {
            if TextWidth.of(kept) + TextWidth.of(character) + TextWidth.of(ellipsis) > width { break }
            kept.insert(character, at: kept.startIndex)
        }
        return ellipsis + kept
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
