import AnchorCore

/// Organisations: roles, lifecycle state, how many devices hold their certificates; the
/// selected one's detail underneath, with its latest lifecycle action and the audit check.
enum OrganisationsView {
    static func draw(_ state: AppState, estate: Estate, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let organisations = estate.ledger.organisations
        var context: [Span] = [Span("\(organisations.count)", .strong), Span(" organisations")]
        if let audit = state.audit {
            context.append(Span("  " + audit.line(ellipsis: glyphs.ellipsis), audit.intact ? .success : .error))
        } else {
            context.append(Span("  A verifies the audit trail", .muted))
        }
        Chrome.drawContext(context, into: &buffer)
        let table = Table(columns: [
            TableColumn("ID", minimum: 21, preferred: 24), TableColumn("ROLE", minimum: 16),
            TableColumn("DCC USER", minimum: 8), TableColumn("DEVICES", minimum: 7, alignRight: true),
            TableColumn("LAST COUNTER", minimum: 16, preferred: 20, alignRight: true),
            TableColumn("CERTS", minimum: 5, preferred: 30),
        ], width: body.width)
        table.drawHeader(into: &buffer, y: body.y)
        let viewport = Layout.masterViewport(state.size)
        let cursor = table.drawRows(into: &buffer, y: body.y, count: organisations.count, viewport: viewport,
                                    cursor: state.organisationsCursor, glyphs: glyphs) { index in
            let organisation = organisations[index]
            let certificates = estate.ledger.certificates(ownedBy: organisation.id)
            let usable = certificates.filter(\.isUsable).count
            let holding = state.holdings?.counts[organisation.id]
            return [
                Span(organisation.id), Span(organisation.role.label),
                Span(organisation.dccUser ? "yes" : "no", organisation.dccUser ? .plain : .warning),
                Span(holding.map(String.init) ?? glyphs.ellipsis, holding == 0 ? .muted : .plain),
                Span(organisation.lastCounter.description),
                certificates.isEmpty ? Span("none", .muted)
                    : usable == certificates.count ? Span("\(certificates.count)")
                    : Span("\(usable)/\(certificates.count) usable", .warning),
            ]
        }
        let paneTop = body.y + 1 + viewport
        guard cursor.selected < organisations.count, body.y + body.height - paneTop > 1 else { return }
        let organisation = organisations[cursor.selected]
        buffer.write(String(repeating: glyphs.horizontal, count: body.width), x: 0, y: paneTop, style: .muted)
        buffer.write(" \(organisation.id) ", x: 2, y: paneTop, style: .strong)
        let lines = OrganisationPage.summary(organisation, estate, holding: state.holdings?.counts[organisation.id], glyphs: glyphs)
            + [OrganisationPage.lastLifecycle(organisation, estate.ledger, glyphs: glyphs)]
        for (row, line) in lines.prefix(body.y + body.height - paneTop - 1).enumerated() {
            buffer.draw(line, x: 1, y: paneTop + 1 + row, width: body.width - 2)
        }
    }
}

/// One organisation: its lifecycle state, certificates, devices and lifecycle log.
enum OrganisationPage {
    /// Name, entity ID, lifecycle state, certificates and devices holding them: the pane and the page share these.
    static func summary(_ organisation: Organisation, _ estate: Estate, holding: Int?, glyphs: Glyphs) -> [StyledLine] {
        let ledger = estate.ledger
        let revocation = ledger.revocationRequest(of: organisation.id)
        var status: StyledLine = [
            Span("status    ", .muted),
            Span(organisation.dccUser ? "DCC User" : "not a DCC User", organisation.dccUser ? .plain : .warning),
            Span(organisation.subscribed ? ", subscribed" : ", not subscribed"
                 + (organisation.role == .networkOperator && revocation == nil ? " (optional for GNOs, FIA Req 6)" : "")),
        ]
        if let revocation {
            status.append(Span(", revocation requested \(revocation.at.dateOnly)", .error))
        }
        let certificates = ledger.certificates(ownedBy: organisation.id)
        var certificateLine: StyledLine = [Span("certs     ", .muted)]
        if certificates.isEmpty { certificateLine.append(Span("none", .muted)) }
        for certificate in certificates {
            let state = certificate.revoked ? " REVOKED" : certificate.inRepository ? "" : " not in repository"
            certificateLine.append(Span("\(certificate.id) (\(certificate.keyUsage.rawValue)\(state))  ",
                                        certificate.isUsable ? .plain : .error))
        }
        var devices: StyledLine = [Span("devices   ", .muted)]
        if let holding {
            devices.append(Span("\(holding)", holding > 0 ? .strong : .plain))
            devices.append(Span(" hold its certificates"))
            if holding > 0, let filter = Estate.holdingFilter(for: organisation) {
                devices.append(Span("  (:filter \(filter) lists them)", .muted))
            }
        } else {
            devices.append(Span("counting" + glyphs.ellipsis, .muted))
        }
        return [
            [Span("name      ", .muted), Span(organisation.name, .strong)],
            [Span("entity ID ", .muted), Span(organisation.entityId.description),
             Span("   \(organisation.role.label), role code \(organisation.role.remotePartyRoleCode)", .muted)],
            status, certificateLine, devices,
        ]
    }

    /// The newest lifecycle log entry, in one line.
    static func lastLifecycle(_ organisation: Organisation, _ ledger: Ledger, glyphs: Glyphs) -> StyledLine {
        guard let record = ledger.lifecycle.last(where: { $0.organisation == organisation.id }) else {
            return [Span("lifecycle ", .muted), Span("no actions logged", .muted)]
        }
        return [Span("lifecycle ", .muted)] + entry(record, glyphs: glyphs)
    }

    static func entry(_ record: LifecycleRecord, glyphs: Glyphs) -> StyledLine {
        [Span(CounterPage.when(record.at) + "  ", .muted), Span(TextWidth.fit(record.action.rawValue, to: 10)),
         record.outcome == .succeeded ? Span("\(glyphs.succeeded) succeeded", .success)
            : Span("\(glyphs.rejected) REFUSED \(record.reason?.rawValue ?? "")", .error)]
    }

    static func lines(_ organisation: Organisation, _ estate: Estate, state: AppState) -> [StyledLine] {
        let glyphs = state.appearance.glyphs
        let width = state.size.columns - 2
        var lines = summary(organisation, estate, holding: state.holdings?.counts[organisation.id], glyphs: glyphs)
        lines.append([Span("last ctr  ", .muted), Span(organisation.lastCounter.description)])
        lines.append([])
        let actions: StyledLine = state.readOnly
            ? [Span("Actions   ", .muted), Span("read-only (--read-only): none", .warning)]
            : [Span("Actions   ", .muted), Span("u", .key), Span(" subscribe  "), Span("x", .key), Span(" cease (+ hand-back)  "),
               Span("v", .key), Span(" revoke  "), Span("A", .key), Span(" audit")]
        lines.append(actions)
        if let audit = state.audit {
            for (index, part) in TextWrap.lines(audit.line(ellipsis: glyphs.ellipsis), width: max(10, width - 10)).enumerated() {
                lines.append([Span(index == 0 ? "audit     " : "          ", .muted), Span(part, audit.intact ? .success : .error)])
            }
        }
        lines.append([])
        let log = estate.ledger.lifecycle.filter { $0.organisation == organisation.id }
        lines.append([Span("Lifecycle log", .heading), Span("  (newest first; refusals are logged too)", .muted)])
        if log.isEmpty { lines.append([Span("  no actions logged", .muted)]) }
        for record in log.reversed() {
            lines.append([Span("  ")] + entry(record, glyphs: glyphs))
            for part in TextWrap.lines(record.detail, width: max(10, width - 4)) {
                lines.append([Span("    " + part, record.outcome == .succeeded ? .plain : .error)])
            }
        }
        return lines
    }
}
