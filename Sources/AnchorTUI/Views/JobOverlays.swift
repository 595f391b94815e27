import AnchorCore
import AnchorService

/// The words for a finished job, in the status line and the outcome dialog.
enum JobOutcomeText {
    static func verb(_ job: StoreJob) -> String {
        switch job {
        case .lifecycle(let draft): "\(draft.action.rawValue) \(draft.organisation)"
        case .recovery: "Recovery Event"
        case .requests(let draft): "SRV\(draft.service.rawValue) to \(draft.targets.count) marked devices"
        }
    }

    static func bulkSummary(_ bulk: BulkProgress) -> String {
        "\(bulk.done) of \(bulk.total) sent: \(bulk.succeeded) succeeded, \(bulk.rejected) rejected"
            + (bulk.skipped > 0 ? "; \(bulk.skipped) already done" : "")
    }

    static func status(_ outcome: JobOutcome) -> StatusMessage {
        let verb = verb(outcome.job)
        if let failure = outcome.failure { return StatusMessage("\(verb): \(failure)", level: .error, ticks: 12) }
        if outcome.interrupted, let bulk = outcome.bulk {
            return StatusMessage("\(verb) stopped: \(bulkSummary(bulk)); all durable, run it again to finish", level: .warning, ticks: 12)
        }
        if let record = outcome.lifecycle {
            return record.outcome == .succeeded ? StatusMessage("\(verb) succeeded", ticks: 10)
                : StatusMessage("\(verb) REFUSED (\(record.reason?.rawValue ?? "-")): \(record.detail)", level: .error, ticks: 12)
        }
        if let unchanged = outcome.unchanged { return StatusMessage("\(verb): nothing to do; \(unchanged)", ticks: 10) }
        if let bulk = outcome.bulk {
            return StatusMessage("\(verb): \(bulkSummary(bulk))", level: bulk.rejected > 0 ? .error : .info, ticks: 12)
        }
        return StatusMessage("\(verb) done")
    }

    static func title(_ outcome: JobOutcome, glyphs: Glyphs) -> (String, CellStyle) {
        let verb = verb(outcome.job)
        if outcome.failure != nil { return ("\(glyphs.rejected) \(verb): stopped", .error) }
        if outcome.interrupted { return ("\(verb): stopped after a group", .warning) }
        if let record = outcome.lifecycle {
            return record.outcome == .succeeded ? ("\(glyphs.succeeded) \(verb) succeeded", CellStyle(bold: true, colour: .success))
                : ("\(glyphs.rejected) \(verb) REFUSED: \(record.reason?.rawValue ?? "-")", .error)
        }
        if outcome.unchanged != nil { return ("\(verb): nothing to do", .strong) }
        if let bulk = outcome.bulk, bulk.rejected > 0 { return ("\(glyphs.rejected) \(verb): \(bulk.rejected) rejected", .error) }
        return ("\(glyphs.succeeded) \(verb) done", CellStyle(bold: true, colour: .success))
    }

    static func lines(_ outcome: JobOutcome, estate: Estate?, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        func add(_ label: String, _ text: String, _ style: CellStyle = .plain) {
            for (index, part) in TextWrap.lines(text, width: max(10, width - 11)).enumerated() {
                lines.append([Span(index == 0 ? TextWidth.fit(label, to: 11) : String(repeating: " ", count: 11), .muted),
                              Span(part, style)])
            }
        }
        let isHandBack: Bool
        if case .lifecycle(let draft) = outcome.job { isHandBack = draft.handBack } else { isHandBack = false }
        if let bulk = outcome.bulk {
            add(isHandBack ? "hand-back" : "devices", bulkSummary(bulk), bulk.rejected > 0 ? .error : .plain)
        }
        if case .recovery(let draft) = outcome.job {
            add("reason", draft.reason)
            add("NO floor", "\(draft.newFloor), recorded as each device's counter where the ACB now holds the NO cell")
        }
        if outcome.interrupted {
            add("stopped", isHandBack
                ? "everything sent is durable; the cease was not attempted. Press x again (with the hand-back) to finish: devices already handed back are skipped."
                : "everything sent is durable. Run it again with the same filter to finish: devices already done are skipped.", .warning)
        }
        if let record = outcome.lifecycle {
            add("result", record.detail, record.outcome == .succeeded ? .success : .error)
            if !record.certificates.isEmpty { add("certs", record.certificates.joined(separator: ", ")) }
            if record.reason == .certificatesOnDevices {
                let filter = estate?.ledger.organisation(record.organisation).flatMap { Estate.holdingFilter(for: $0) }
                add("devices", "\(record.devicesHoldingCertificates) hold its certificates"
                    + (filter.map { "; list them with :filter \($0)" } ?? "")
                    + (record.action == .cease ? "; or press x, then Space to hand them back first" : ""), .warning)
            }
        }
        if let unchanged = outcome.unchanged { add("unchanged", unchanged + "; nothing was written") }
        if let failure = outcome.failure { add("problem", failure, .error) }
        if let warning = outcome.warning { add("note", warning, .warning) }
        return lines
    }
}

/// Confirming a lifecycle action: the core's expected outcome, the hand-back option, the typed count.
enum LifecycleConfirmOverlay {
    static func title(_ confirmation: LifecycleConfirmation) -> String {
        switch confirmation.action {
        case .subscribe: "Subscribe \(confirmation.organisation) to SMKI certificates?"
        case .cease: "Cease \(confirmation.organisation) as a DCC User?"
        case .revoke: "Revoke \(confirmation.organisation)'s certificates?"
        }
    }

    static func draw(_ confirmation: LifecycleConfirmation, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 76), height: min(body.height, 16))
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title(confirmation),
                   glyphs: glyphs, titleStyle: .warning)
        let inner = area.width - 4
        var y = area.y + 1
        let bottom = area.y + area.height - 4
        func put(_ text: String, _ style: CellStyle = .plain) {
            for part in TextWrap.lines(text, width: inner) where y < bottom {
                buffer.write(part, x: area.x + 2, y: y, style: style, limit: inner)
                y += 1
            }
        }
        switch confirmation.action {
        case .subscribe: put("Issues a DS/KA pair into the SMKI Repository if it has none usable (optional for GNOs, FIA Req 6).", .muted)
        case .cease: put("It stops being a DCC User (FIA Req 4): Suppliers may no longer place its certificates.", .muted)
        case .revoke: put("Certificate Revocation Request (FIA Req 5): its certificates leave the SMKI Repository; it may never subscribe again.", .muted)
        }
        put("\(confirmation.devicesHolding) device\(confirmation.devicesHolding == 1 ? "" : "s") hold its certificates now.")
        if confirmation.canHandBack {
            let box = confirmation.handBack ? "[x]" : "[ ]"
            put("\(box) first hand back its \(confirmation.handBackDevices) device\(confirmation.handBackDevices == 1 ? "" : "s") to the ACB (SRV6.15.1, in groups; Space toggles)",
                confirmation.handBack ? .strong : .plain)
        }
        if confirmation.handBack {
            put("then cease; expected to succeed once no device holds its certificates", .plain)
        } else if let expected = confirmation.expected {
            if expected.outcome == .succeeded {
                put("\(glyphs.succeeded) expected to succeed: \(expected.detail)", .success)
            } else {
                put("\(glyphs.rejected) expected REFUSED (\(expected.reason?.rawValue ?? "-")): \(expected.detail)", .error)
                put("A refusal is logged like a rejected request.", .muted)
            }
        }
        if confirmation.needsTypedCount {
            let x = buffer.write("Type \(confirmation.handBackDevices) to confirm the hand-back: ", x: area.x + 2, y: area.y + area.height - 4,
                                 style: .warning, limit: inner)
            LauncherOverlay.drawField(confirmation.typedCount, focused: true, x: x, y: area.y + area.height - 4,
                                      width: max(4, area.x + 2 + inner - x), placeholder: "", into: &buffer)
        }
        buffer.write("This is journalled and cannot be undone.", x: area.x + 2, y: area.y + area.height - 3, style: .muted, limit: inner)
        let verb = confirmation.handBack ? "Hand back and cease" : confirmation.action.rawValue.capitalized
        Buttons.draw(cancelFocused: confirmation.focus == .cancel, confirm: verb, y: area.y + area.height - 2, area: area, into: &buffer)
    }
}

/// Cancel and the action, focus shown by reverse video and `>` `<` markers.
enum Buttons {
    static func draw(cancelFocused: Bool, confirm: String, y: Int, area: Rect, into buffer: inout CellBuffer) {
        let cancel = cancelFocused ? "> Cancel <" : "  Cancel  "
        let action = cancelFocused ? "  \(confirm)  " : "> \(confirm) <"
        let width = TextWidth.of(cancel) + 4 + TextWidth.of(action)
        let x = area.x + (area.width - width) / 2
        buffer.write(cancel, x: x, y: y, style: cancelFocused ? CellStyle(bold: true, reverse: true) : .plain)
        buffer.write(action, x: x + TextWidth.of(cancel) + 4, y: y,
                     style: cancelFocused ? .plain : CellStyle(bold: true, reverse: true, colour: .warning))
    }
}

/// The Recovery Event form, with a live count of what it would address.
enum RecoveryFormOverlay {
    static func draw(_ form: RecoveryForm, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 88), height: min(body.height, 16))
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height,
                   title: "EXCEPTIONAL: Recovery Event (SMKI PMA)", glyphs: glyphs, titleStyle: .error)
        let inner = area.width - 4
        let labelWidth = 14
        var y = area.y + 1
        for part in TextWrap.lines("The SMKI Recovery key replaces the Network Operator certificates of the filtered GPFs and sets their NO floor. Use only when the normal hand-back cannot be.", width: inner) {
            buffer.write(part, x: area.x + 2, y: y, style: .muted, limit: inner)
            y += 1
        }
        y += 1
        let rows: [(RecoveryForm.Field, String, TextField, String)] = [
            (.filter, "Filter", form.filter, "(required: which devices)"),
            (.reason, "Reason", form.reason, "(required: kept in the log and audit trail)"),
            (.newFloor, "New NO floor", form.newFloor, "(default 0)"),
        ]
        for (field, label, text, placeholder) in rows {
            let focused = field == form.focus
            buffer.write(focused ? ">" : " ", x: area.x + 1, y: y, style: .key)
            buffer.write(label, x: area.x + 2, y: y, width: labelWidth, style: focused ? .strong : .plain)
            LauncherOverlay.drawField(text, focused: focused, x: area.x + 2 + labelWidth, y: y, width: inner - labelWidth,
                                      placeholder: placeholder, into: &buffer)
            y += 1
        }
        buffer.write("Replace with", x: area.x + 2, y: y, width: labelWidth)
        buffer.write("acb (the ACB's DS/KA pair)", x: area.x + 2 + labelWidth, y: y, style: .strong, limit: inner - labelWidth)
        y += 2
        if let estate = state.estate {
            var probe = form
            if probe.reason.text.trimmingSpaces.isEmpty { probe.reason = TextField("-") }
            do {
                let preview = try probe.preview(estate)
                buffer.write("\(preview.count) device\(preview.count == 1 ? "" : "s") to do, \(preview.skipped) already done",
                             x: area.x + 2, y: y, style: preview.count > 0 ? .strong : .warning, limit: inner)
            } catch {
                for part in TextWrap.lines(error.description, width: inner).prefix(2) {
                    buffer.write(part, x: area.x + 2, y: y, style: .error, limit: inner)
                    y += 1
                }
            }
        }
        buffer.write("Enter preview · Tab next field · Esc cancel", x: area.x + 2, y: area.y + area.height - 2, style: .muted, limit: inner)
    }
}

/// What a Recovery Event will do; confirmed by typing the device count.
enum RecoveryConfirmOverlay {
    static func draw(_ preview: RecoveryPreview, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 88), height: min(body.height, 18))
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height,
                   title: "EXCEPTIONAL: run a Recovery Event on \(preview.count) device\(preview.count == 1 ? "" : "s")?",
                   glyphs: glyphs, titleStyle: .error)
        let inner = area.width - 4
        let labelWidth = 11
        var y = area.y + 1
        func add(_ label: String, _ text: String, _ style: CellStyle = .plain) {
            for (index, part) in TextWrap.lines(text, width: inner - labelWidth).enumerated() where y < area.y + area.height - 4 {
                buffer.write(index == 0 ? label : "", x: area.x + 2, y: y, width: labelWidth, style: .muted)
                buffer.write(part, x: area.x + 2 + labelWidth, y: y, style: style, limit: inner - labelWidth)
                y += 1
            }
        }
        let draft = preview.draft
        add("devices", "\(preview.count) matching '\(draft.filter)'" + (preview.skipped > 0 ? "; \(preview.skipped) already done are skipped" : ""), .strong)
        if let recovery = preview.recovery {
            add("signed by", "\(recovery.id), its own counters from \(recovery.lastCounter.successor?.description ?? "none left")")
        }
        add("command", "CS02b anyExceptAbnormalRootByRecovery, authorised by each device's Recovery cell")
        add("replaces", "NO cells \(glyphs.arrow) \(preview.certificates.joined(separator: ", "))")
        add("NO floor", "set to \(draft.newFloor) and RECORDED as the device's counter, so a later SRV6.21 succeeds")
        add("reason", draft.reason)
        add("recorded", "in the request log (service recovery) and the audit trail")
        let x = buffer.write("Type \(preview.count) and press Enter to go ahead: ", x: area.x + 2, y: area.y + area.height - 3,
                             style: .warning, limit: inner)
        LauncherOverlay.drawField(preview.typedCount, focused: true, x: x, y: area.y + area.height - 3,
                                  width: max(4, area.x + 2 + inner - x), placeholder: "", into: &buffer)
        buffer.write("Esc goes back to the form; nothing is sent until the count matches.", x: area.x + 2,
                     y: area.y + area.height - 2, style: .muted, limit: inner)
    }
}

/// A running job: durable progress, and how to stop it.
enum ProgressOverlay {
    static func draw(_ progress: BulkProgress?, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 72), height: 8)
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: progress?.title ?? "Working",
                   glyphs: glyphs, titleStyle: .warning)
        let inner = area.width - 4
        guard let progress, progress.total > 0 else {
            buffer.write("opening the store for writing…", x: area.x + 2, y: area.y + 2, style: .muted, limit: inner)
            return
        }
        buffer.write("\(progress.done) of \(progress.total) durable: \(progress.succeeded) succeeded, \(progress.rejected) rejected",
                     x: area.x + 2, y: area.y + 1, limit: inner)
        let filled = progress.total == 0 ? inner : inner * progress.done / progress.total
        buffer.write(String(repeating: glyphs.bar, count: filled), x: area.x + 2, y: area.y + 3, style: .success, limit: inner)
        buffer.write(String(repeating: glyphs.middleDot, count: inner - filled), x: area.x + 2 + filled, y: area.y + 3,
                     style: .muted, limit: inner - filled)
        if progress.skipped > 0 {
            buffer.write("\(progress.skipped) already done, skipped", x: area.x + 2, y: area.y + 4, style: .muted, limit: inner)
        }
        buffer.write(progress.stopping ? "stopping after this group…" : "Esc or Ctrl-C: stop after the current group",
                     x: area.x + 2, y: area.y + 6, style: progress.stopping ? .warning : .muted, limit: inner)
    }
}

/// What a job came to, until dismissed.
enum JobOutcomeOverlay {
    static func draw(_ outcome: JobOutcome, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let area = body.centred(width: min(body.width, 88), height: min(body.height, 14))
        let (title, style) = JobOutcomeText.title(outcome, glyphs: glyphs)
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title, glyphs: glyphs, titleStyle: style)
        let inner = area.width - 4
        for (row, line) in JobOutcomeText.lines(outcome, estate: state.estate, width: inner).prefix(area.height - 3).enumerated() {
            buffer.draw(line, x: area.x + 2, y: area.y + 1 + row, width: inner)
        }
        buffer.write("Enter to close", x: area.x + 2, y: area.y + area.height - 2, style: .muted, limit: inner)
    }
}
