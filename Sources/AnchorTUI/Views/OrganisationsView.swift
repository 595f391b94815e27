import AnchorCore

/// Organisations, their roles, DCC User status, counters and certificates.
enum OrganisationsView {
    static func draw(_ state: AppState, estate: Estate, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let organisations = estate.ledger.organisations
        Chrome.drawContext([Span("\(organisations.count)", .strong), Span(" organisations")], into: &buffer)
        let table = Table(columns: [
            TableColumn("ID", minimum: 21, preferred: 24), TableColumn("ROLE", minimum: 16),
            TableColumn("DCC USER", minimum: 8), TableColumn("LAST COUNTER", minimum: 16, preferred: 20, alignRight: true),
            TableColumn("CERTS", minimum: 5, preferred: 30),
        ], width: body.width)
        table.drawHeader(into: &buffer, y: body.y)
        let viewport = Layout.masterViewport(state.size)
        var cursor = state.organisationsCursor
        cursor.clamp(count: organisations.count, viewport: viewport)
        for row in 0..<viewport {
            let index = cursor.offset + row
            guard index < organisations.count else { break }
            let organisation = organisations[index]
            let certificates = estate.ledger.certificates(ownedBy: organisation.id)
            table.drawRow(into: &buffer, y: body.y + 1 + row, cells: [
                Span(organisation.id), Span(organisation.role.label),
                Span(organisation.dccUser ? "yes" : "no", organisation.dccUser ? .plain : .warning),
                Span(organisation.lastCounter.description),
                Span(certificates.isEmpty ? "none" : "\(certificates.count)", certificates.isEmpty ? .muted : .plain),
            ], selected: index == cursor.selected, glyphs: glyphs)
        }
        let paneTop = body.y + 1 + viewport
        guard cursor.selected < organisations.count, body.y + body.height - paneTop > 1 else { return }
        let organisation = organisations[cursor.selected]
        buffer.write(String(repeating: glyphs.horizontal, count: body.width), x: 0, y: paneTop, style: .muted)
        buffer.write(" \(organisation.id) ", x: 2, y: paneTop, style: .strong)
        var lines: [StyledLine] = [
            [Span("name      ", .muted), Span(organisation.name, .strong)],
            [Span("entity ID ", .muted), Span(organisation.entityId.description), Span("   role code \(organisation.role.remotePartyRoleCode)", .muted)],
            [Span("status    ", .muted), Span(organisation.dccUser ? "DCC User" : "not a DCC User", organisation.dccUser ? .plain : .warning),
             Span(organisation.subscribed ? ", subscribed to SMKI certificates" : ", not subscribed (optional for GNOs, FIA Req 6)")],
        ]
        let certificates = estate.ledger.certificates(ownedBy: organisation.id)
        var certificateLine: StyledLine = [Span("certs     ", .muted)]
        if certificates.isEmpty { certificateLine.append(Span("none", .muted)) }
        for certificate in certificates {
            let status = certificate.revoked ? " REVOKED" : certificate.inRepository ? "" : " not in repository"
            certificateLine.append(Span("\(certificate.id) (\(certificate.keyUsage.rawValue)\(status))  ",
                                        certificate.isUsable ? .plain : .error))
        }
        lines.append(certificateLine)
        for (row, line) in lines.prefix(body.y + body.height - paneTop - 1).enumerated() {
            buffer.draw(line, x: 1, y: paneTop + 1 + row, width: body.width - 2)
        }
    }
}
