import AnchorCore

/// The scrolling pages: one device, and its counter history.
public enum Pages {
    /// The page's lines for the current screen, before scrolling.
    public static func lines(for state: AppState) -> [StyledLine] {
        guard let estate = state.estate else { return [] }
        switch state.screen {
        case .device(let id):
            guard let device = estate.devices[id] else { return [[Span("no device \(id)", .error)]] }
            return DeviceDetailPage.lines(device, estate.ledger, width: state.size.columns, glyphs: state.appearance.glyphs,
                                          certificates: state.deviceCertificates?.device == id ? state.deviceCertificates : nil)
        case .counters(let id):
            guard let device = estate.devices[id] else { return [[Span("no device \(id)", .error)]] }
            return CounterPage.lines(device, estate.ledger, width: state.size.columns, glyphs: state.appearance.glyphs,
                                     legacy: state.legacyCounters)
        case .organisation(let id):
            guard let organisation = estate.ledger.organisation(id) else { return [[Span("no organisation \(id)", .error)]] }
            return OrganisationPage.lines(organisation, estate, state: state)
        default:
            return []
        }
    }

    static func draw(_ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let lines = lines(for: state)
        let scroll = max(0, min(state.pageScroll, lines.count - body.height))
        var context: [Span]
        switch state.screen {
        case .counters(let id): context = [Span("Counter history ", .strong), Span("of \(id)")]
        case .device(let id): context = [Span("Device ", .strong), Span(id.description, .strong)]
        case .organisation(let id): context = [Span("Organisation ", .strong), Span(id, .strong)]
        default: context = []
        }
        if lines.count > body.height {
            context.append(Span("  lines \(scroll + 1)-\(min(lines.count, scroll + body.height)) of \(lines.count)", .muted))
        }
        Chrome.drawContext(context, into: &buffer)
        for row in 0..<body.height {
            let index = scroll + row
            guard index < lines.count else { break }
            buffer.draw(lines[index], x: 1, y: body.y + row, width: body.width - 2)
        }
    }
}

/// A device: its cells, floors, recorded counter, last requests and its own certificates.
enum DeviceDetailPage {
    static func lines(_ device: Device, _ ledger: Ledger, width: Int, glyphs: Glyphs, certificates: DeviceCertificateRows? = nil) -> [StyledLine] {
        let width = width - 2
        let owner = DeviceList.networkOperatorOwner(device, ledger)
        let supplierName = ledger.organisation(device.supplier)?.name
        var lines: [StyledLine] = [
            [Span(device.type.rawValue, .strong), Span("  supplier "), Span(device.supplier, .strong),
             Span(supplierName.map { " (\($0))" } ?? "", .muted),
             Span("  commissioned \(device.commissionedAt?.dateOnly ?? "-")", .muted)],
            [Span("NO cell "), Span(owner ?? "(empty)", .strong), Span("  recorded "),
             Span(ledger.recordedCounters[device.id]?.description ?? "none", .strong),
             Span("  NO floor "), Span(device.floors[.networkOperator].description, .strong)],
        ]
        if let pending = ledger.pendingCommand(for: device.id) {
            lines.append([
                Span(pending.handBack ? "Scheduled hand-back " : "Scheduled SRV6.15.1 ", .warning),
                Span("due \(pending.dueAt)", .strong), Span("  counter \(pending.counter)  by \(pending.sender)"),
                Span("  (recorded when its alert arrives; SRV6.21 waits)", .muted),
            ])
        }
        lines.append([Span("Trust Anchor Cells", .heading), Span("  (\(glyphs.arrow) the Network Operator cells this change is about)", .muted)])
        let table = Table(columns: [
            TableColumn("ROLE", minimum: 16), TableColumn("USE", minimum: 3),
            TableColumn("OWNER", minimum: 13, preferred: 22), TableColumn("CERTIFICATE", minimum: 16, preferred: 24),
            TableColumn("REPOSITORY", minimum: 10, preferred: 24),
        ], width: width)
        lines.append(row(table, ["ROLE", "USE", "OWNER", "CERTIFICATE", "REPOSITORY"].map { Span($0, .heading) }, marker: "  "))
        for (cell, certificateID) in device.cells.all {
            let certificate = certificateID.flatMap { ledger.certificate($0) }
            let isNetworkOperator = TrustAnchorCell.networkOperatorCells.contains(cell)
            let base: CellStyle = isNetworkOperator ? .strong : .plain
            var status = Span("empty", .muted)
            if let certificate {
                status = certificate.revoked ? Span("\(glyphs.rejected) REVOKED", .error)
                    : certificate.inRepository ? Span("in repository", .success) : Span("NOT in repository", .warning)
            } else if certificateID != nil {
                status = Span("unknown certificate", .error)
            }
            lines.append(row(table, [
                Span(cell.role.label, base), Span(cell.keyUsage.rawValue, base),
                Span(certificate?.owner ?? "-", base), Span(certificateID ?? "(empty)", certificateID == nil ? .muted : base),
                status,
            ], marker: isNetworkOperator ? glyphs.arrow.count == 1 ? glyphs.arrow + " " : "->" : "  "))
        }
        lines.append([])
        lines.append([Span("Anti-replay floors", .heading), Span("  (the device's own; a counter must be above)", .muted)])
        let roles = OrganisationRole.allCases
        let pairWidth = max(30, width / 2)
        for start in stride(from: 0, to: roles.count, by: 2) {
            var line: StyledLine = []
            for role in roles[start..<min(start + 2, roles.count)] {
                let floor = device.floors[role]
                let text = TextWidth.fit(role.label, to: 17) + TextWidth.fit(floor.description, to: 20, alignRight: true)
                line.append(Span(TextWidth.fit("  " + text, to: pairWidth), floor.value == 0 ? .muted : .strong))
            }
            lines.append(line)
        }
        lines.append([])
        let requests = ledger.requests(for: device.id)
        lines.append([Span("Last requests", .heading), Span("  (newest first; L for all of them)", .muted)])
        if requests.isEmpty { lines.append([Span("  none yet", .muted)]) }
        for record in requests.suffix(5).reversed() {
            lines.append(RequestsView.summary(record, glyphs: glyphs, showDevice: false))
        }
        lines.append([])
        return lines + certificateLines(certificates, glyphs: glyphs)
    }

    /// The device's own certificates, as the SMKI Repository publishes them.
    static func certificateLines(_ certificates: DeviceCertificateRows?, glyphs: Glyphs) -> [StyledLine] {
        var lines: [StyledLine] = [[Span("Device certificates", .heading), Span("  (cert show ID --usage ds|ka; cert export)", .muted)]]
        guard let certificates, !certificates.isIssuing else { return lines + [[Span("  issuing" + glyphs.ellipsis, .muted)]] }
        if let failure = certificates.failure { return lines + [[Span("  " + failure, .muted)]] }
        lines.append([Span("  USE SERIAL                           KEY ID            VALID FROM", .heading)])
        for row in certificates.rows {
            lines.append([Span("  " + TextWidth.fit(row.usage.rawValue, to: 3) + " "), Span(TextWidth.fit(row.serial, to: 32) + " ", .strong),
                          Span(TextWidth.fit(row.keyIdentifier, to: 17)), Span(row.validFrom.dateOnly)])
        }
        if let first = certificates.rows.first {
            lines.append([Span("  issued by \(first.issuer), valid until \(first.validUntil.dateOnly)", .muted)])
        }
        return lines
    }

    static func row(_ table: Table, _ cells: [Span], marker: String) -> StyledLine {
        var line: StyledLine = [Span(marker)]
        for (index, cell) in cells.enumerated() {
            let fitted = TextWidth.fit(cell.text, to: table.widths[index])
            line.append(Span(fitted + (index + 1 < cells.count ? " " : ""), cell.style))
        }
        return line
    }
}
