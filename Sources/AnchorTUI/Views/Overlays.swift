import AnchorCore

/// Dialogs and panels drawn over the current screen.
enum Overlays {
    static func draw(_ modal: Modal, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        switch modal {
        case .help(let scroll): HelpOverlay.draw(state, scroll: scroll, body: body, into: &buffer)
        case .filter, .palette: break  // drawn in the status line
        case .launcher(let form): LauncherOverlay.draw(form, state, body: body, into: &buffer)
        case .confirm(let confirmation): ConfirmOverlay.draw(confirmation, state, body: body, into: &buffer)
        case .sending(let draft):
            let glyphs = state.appearance.glyphs
            let area = body.centred(width: 56, height: 5)
            buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Sending", glyphs: glyphs)
            buffer.write("SRV\(draft.service.rawValue) to \(draft.device)", x: area.x + 2, y: area.y + 1, limit: area.width - 4)
            buffer.write("opening the store for writing, simulating, fsync…", x: area.x + 2, y: area.y + 2,
                         style: .muted, limit: area.width - 4)
        case .outcome(let report): OutcomeOverlay.draw(report, state, body: body, into: &buffer)
        case .lifecycleConfirm(let confirmation): LifecycleConfirmOverlay.draw(confirmation, state, body: body, into: &buffer)
        case .recoveryForm(let form): RecoveryFormOverlay.draw(form, state, body: body, into: &buffer)
        case .recoveryConfirm(let preview, _): RecoveryConfirmOverlay.draw(preview, state, body: body, into: &buffer)
        case .progress(let progress): ProgressOverlay.draw(progress, state, body: body, into: &buffer)
        case .jobOutcome(let outcome): JobOutcomeOverlay.draw(outcome, state, body: body, into: &buffer)
        case .asOf: break  // drawn in the status line
        case .markedConfirm(let confirmation): MarkedConfirmOverlay.draw(confirmation, state, body: body, into: &buffer)
        }
    }
}

/// `?`: every binding of the key table, grouped.
enum HelpOverlay {
    static func lines(_ state: AppState) -> [StyledLine] {
        var lines: [StyledLine] = []
        for group in KeyGroup.allCases {
            let bindings = KeyMap.bindings(in: group)
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append([]) }
            lines.append([Span(group.rawValue, .heading)])
            for binding in bindings {
                let label = state.readOnly && binding.writes ? binding.label + " (disabled: read-only)" : binding.label
                let labelWidth = max(20, min(state.size.columns, 100) - 4 - 20)
                // Every key is named; a long list of keys goes on over the label's next rows.
                let keys = keyRows(binding.keyLabel, width: 17)
                let labels = TextWrap.lines(label, width: labelWidth)
                for row in 0..<max(keys.count, labels.count) {
                    lines.append([Span("  " + TextWidth.fit(row < keys.count ? keys[row] : "", to: 18), .key),
                                  Span(row < labels.count ? labels[row] : "")])
                }
            }
        }
        lines += [
            [],
            [Span("Command palette (:)", .heading)],
        ] + TextWrap.lines(Update.paletteCommands, width: max(20, min(state.size.columns, 100) - 6)).map { [Span("  " + $0)] } + [
            [],
            [Span("Mouse: click selects a row, double click opens it, the wheel scrolls; :mouse off (or --no-mouse) "
                + "leaves it to the terminal's text selection.", .muted)],
            [Span("Selection is shown by reverse video and a > marker. NO_COLOR is honoured.", .muted)],
        ]
        return lines
    }

    /// A binding's keys (`PgDn/Ctrl-F/Ctrl-D/Space`) in rows of at most `width` columns, broken after a `/`.
    static func keyRows(_ keys: String, width: Int) -> [String] {
        var rows: [String] = []
        for name in keys.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
            if let last = rows.last, TextWidth.of(last + "/" + name) <= width {
                rows[rows.count - 1] = last + "/" + name
            } else if let last = rows.last {
                rows[rows.count - 1] = last + "/"
                rows.append(name)
            } else {
                rows.append(name)
            }
        }
        return rows
    }

    static func maxScroll(_ state: AppState) -> Int {
        max(0, lines(state).count - (Layout.bodyRows(state.size) - 2))
    }

    static func draw(_ state: AppState, scroll: Int, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 100), height: body.height)
        let content = lines(state)
        let visible = area.height - 2
        let scroll = max(0, min(scroll, content.count - visible))
        let position = content.count > visible ? "  \(scroll + 1)-\(min(content.count, scroll + visible))/\(content.count)" : ""
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Keys" + position, glyphs: glyphs)
        for row in 0..<visible {
            let index = scroll + row
            guard index < content.count else { break }
            buffer.draw(content[index], x: area.x + 2, y: area.y + 1 + row, width: area.width - 4)
        }
    }
}

/// The request launcher: the form, and a live preview of what will be sent.
enum LauncherOverlay {
    static func draw(_ form: LauncherForm, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 96), height: body.height)
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height,
                   title: "Launch a request for \(form.device)", glyphs: glyphs)
        let inner = area.width - 4
        var y = area.y + 1
        let labelWidth = 14
        for field in form.fields {
            let focused = field == form.focus
            let marker = focused ? ">" : " "
            buffer.write(marker, x: area.x + 1, y: y, style: .key)
            buffer.write(form.label(of: field), x: area.x + 2, y: y, width: labelWidth, style: focused ? .strong : .plain)
            let x = area.x + 2 + labelWidth
            switch field {
            case .service:
                var column = x
                for service in [ServiceName.updateSecurityCredentials, .requestHandover] {
                    let chosen = service == form.service
                    let name = service == .updateSecurityCredentials ? "SRV6.15.1 Update Security Credentials" : "SRV6.21 Handover"
                    let text = chosen ? "(*) " + name : "( ) " + name
                    var style: CellStyle = chosen ? .strong : .muted
                    if chosen && focused { style.reverse = true }
                    column = buffer.write(text, x: column, y: y, style: style) + 2
                }
            case .actingOrganisation: drawField(form.actingOrganisation, focused: focused, x: x, y: y,
                                                width: inner - labelWidth, placeholder: "", into: &buffer)
            case .target: drawField(form.target, focused: focused, x: x, y: y, width: inner - labelWidth,
                                    placeholder: "", into: &buffer)
            case .counter: drawField(form.counter, focused: focused, x: x, y: y, width: inner - labelWidth,
                                     placeholder: "(empty: the sender's next counter)", into: &buffer)
            case .newFloor: drawField(form.newFloor, focused: focused, x: x, y: y, width: inner - labelWidth,
                                      placeholder: "(empty: the command's own counter)", into: &buffer)
            case .executeAt: drawField(form.executeAt, focused: focused, x: x, y: y, width: inner - labelWidth,
                                       placeholder: "(empty: at once; or YYYY-MM-DDTHH:MM:SSZ to future-date it)", into: &buffer)
            }
            y += 1
        }
        if form.service == .requestHandover {
            buffer.write(String(repeating: " ", count: labelWidth), x: area.x + 2, y: y)
            if form.legacyCounters {
                buffer.write("LEGACY COUNTERS ON: the recorded counter is ignored (:legacy to turn off)",
                             x: area.x + 2 + labelWidth, y: y, style: .error, limit: inner - labelWidth)
            } else {
                buffer.write("recorded-counter rule on (SECMP0128A)", x: area.x + 2 + labelWidth, y: y,
                             style: .muted, limit: inner - labelWidth)
            }
            y += 1
        }
        let keysRow = area.y + area.height - 2
        var preview: [(label: String, value: String, style: CellStyle)] = []
        if let estate = state.estate {
            do {
                let made = try RequestPreview.make(try form.draft(), estate: estate, glyphs: glyphs, keys: state.signingKeys)
                preview = made.lines.map { line in
                    (line.label, line.value, line.level == .error ? .error : line.level == .warning ? .warning : .plain)
                }
            } catch {
                preview = [("cannot send", error.description, .error)]
            }
        }
        let rows = previewRows(preview, width: inner - labelWidth, room: keysRow + 1 - y)
        if rows.count + 2 <= keysRow - y { y += 1 }
        buffer.write("Preview: what will be sent", x: area.x + 2, y: y, style: .heading)
        y += 1
        for row in rows {
            buffer.write(row.label, x: area.x + 2, y: y, width: labelWidth, style: .muted)
            buffer.write(row.text, x: area.x + 2 + labelWidth, y: y, style: row.style, limit: inner - labelWidth)
            y += 1
        }
        if y <= keysRow {
            buffer.write("Enter review and confirm · Tab next field · ←/→ service · Esc cancel", x: area.x + 2,
                         y: keysRow, style: .muted, limit: inner)
        }
    }

    /// The preview's lines wrapped into at most `room - 1` rows (the heading takes one): the last
    /// line, the dry run's verdict and reason, is always whole; when rows run short the others
    /// keep only their first row, and then the earliest go (the footer names the keys too).
    static func previewRows(_ lines: [(label: String, value: String, style: CellStyle)], width: Int, room: Int)
        -> [(label: String, text: String, style: CellStyle)] {
        let room = max(0, room - 1)
        var wrapped = lines.map { line in TextWrap.lines(line.value, width: max(10, width)) }
        func total() -> Int { wrapped.reduce(0) { $0 + $1.count } }
        if total() > room {
            for index in wrapped.indices.dropLast() { wrapped[index] = Array(wrapped[index].prefix(1)) }
        }
        var first = 0
        while total() > room, first < wrapped.count - 1 {
            wrapped[first] = []
            first += 1
        }
        var rows: [(label: String, text: String, style: CellStyle)] = []
        for (index, parts) in wrapped.enumerated() {
            for (row, part) in parts.enumerated() {
                rows.append((row == 0 ? lines[index].label : "", part, lines[index].style))
            }
        }
        return Array(rows.prefix(room))
    }

    static func drawField(_ field: TextField, focused: Bool, x: Int, y: Int, width: Int, placeholder: String,
                          into buffer: inout CellBuffer) {
        if field.text.isEmpty && !focused {
            buffer.write(placeholder, x: x, y: y, style: .muted, limit: width)
            return
        }
        var column = x
        for (index, character) in field.text.enumerated() {
            column = buffer.write(String(character), x: column, y: y,
                                  style: focused && index == field.cursor ? CellStyle(reverse: true) : .strong, limit: x + width - column)
        }
        if focused && field.cursor >= field.text.count { column = buffer.write(" ", x: column, y: y, style: CellStyle(reverse: true)) }
        if field.text.isEmpty { buffer.write(" " + placeholder, x: column, y: y, style: .muted, limit: x + width - column) }
    }
}

/// "Send this request?": focus starts on Cancel.
enum ConfirmOverlay {
    static func draw(_ confirmation: Confirmation, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let draft = confirmation.draft
        let jumpRows = confirmation.jump == nil ? 0 : 2
        let area = body.centred(width: min(body.width, 72), height: 11 + jumpRows)
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Send SRV\(draft.service.rawValue)?",
                   glyphs: glyphs, titleStyle: .warning)
        let inner = area.width - 4
        let who = draft.service == .updateSecurityCredentials
            ? "\(draft.actingOrganisation) \(glyphs.arrow) NO cells: \(draft.certificate)"
            : "\(draft.actingOrganisation) asks the ACB to place \(draft.networkOperator)"
        buffer.write(who, x: area.x + 2, y: area.y + 1, style: .strong, limit: inner)
        buffer.write("device   \(draft.device)", x: area.x + 2, y: area.y + 2, limit: inner)
        let floor = draft.newFloor.map { "   new floor \($0)" } ?? ""
        buffer.write("counter  \(confirmation.preview.counter?.description ?? "none")" + floor, x: area.x + 2, y: area.y + 3, limit: inner)
        let expected: Span = confirmation.preview.expectedOutcome != .rejected
            ? Span("dry run  \(glyphs.succeeded) expected " + (confirmation.preview.expectedOutcome == .scheduled ? "to be scheduled" : "to succeed"), .success)
            : Span("dry run  \(glyphs.rejected) expected REJECTED (\(confirmation.preview.expectedReason?.rawValue ?? "-"))", .error)
        buffer.draw([expected], x: area.x + 2, y: area.y + 4, width: inner)
        if draft.service == .updateSecurityCredentials, let time = draft.executeAt {
            buffer.write("executes at \(time): acknowledged now, recorded from its alert", x: area.x + 2, y: area.y + 5,
                         style: .warning, limit: inner)
        }
        if draft.service == .requestHandover && draft.legacyCounters {
            buffer.write("LEGACY COUNTERS: the recorded counter is ignored", x: area.x + 2, y: area.y + 5, style: .error, limit: inner)
        }
        if let jump = confirmation.jump {
            buffer.write("COUNTER JUMP: \(jump.field) burns \(jump.burned) counters for good", x: area.x + 2, y: area.y + 6,
                         style: .error, limit: inner)
            let x = buffer.write("Type \(jump.value) to send it: ", x: area.x + 2, y: area.y + 7, style: .strong, limit: inner)
            LauncherOverlay.drawField(confirmation.typedJump, focused: true, x: x, y: area.y + 7, width: area.x + 2 + inner - x,
                                      placeholder: "", into: &buffer)
        }
        buffer.write("This is journalled and cannot be undone.", x: area.x + 2, y: area.y + 6 + jumpRows, style: .muted, limit: inner)
        Buttons.draw(cancelFocused: confirmation.focus == .cancel, confirm: "Send", y: area.y + 8 + jumpRows, area: area, into: &buffer)
    }
}

/// The outcome of a launched request, with its reason, until dismissed.
enum OutcomeOverlay {
    static func draw(_ report: OutcomeReport, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 96), height: min(body.height, 13))
        let inner = area.width - 4
        guard let record = report.record else {
            buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "\(glyphs.rejected) Not sent",
                       glyphs: glyphs, titleStyle: .error)
            for (row, line) in TextWrap.lines(report.failure ?? "", width: inner).prefix(area.height - 4).enumerated() {
                buffer.write(line, x: area.x + 2, y: area.y + 1 + row, style: .error)
            }
            buffer.write("Nothing was sent or written. Enter to close.", x: area.x + 2, y: area.y + area.height - 2,
                         style: .muted, limit: inner)
            return
        }
        let succeeded = record.outcome != .rejected
        let title = succeeded ? "\(glyphs.succeeded) SRV\(record.service.rawValue) \(record.outcome.rawValue)"
            : "\(glyphs.rejected) SRV\(record.service.rawValue) REJECTED: \(record.reason?.rawValue ?? "-")"
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title, glyphs: glyphs,
                   titleStyle: succeeded ? CellStyle(bold: true, colour: .success) : .error)
        var lines = RequestsView.detailLines(record, glyphs: glyphs, width: inner)
        if let estate = state.estate, let device = estate.devices[record.device] {
            let owner = DeviceList.networkOperatorOwner(device, estate.ledger)
            lines.append([Span("NO cell   ", .muted), Span(owner ?? "(empty)", .strong),
                          Span(" (\(device.cells[.networkOperatorDS] ?? "-"))", .muted)])
        }
        for (row, line) in lines.prefix(area.height - 3).enumerated() {
            buffer.draw(line, x: area.x + 2, y: area.y + 1 + row, width: inner)
        }
        buffer.write("Enter to close", x: area.x + 2, y: area.y + area.height - 2, style: .muted, limit: inner)
    }
}
