import AnchorCore

/// The post-commissioning and counter-risk reports, from the core's report types.
enum ReportsView {
    static func draw(_ state: AppState, estate: Estate, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        guard let report = state.report, report.kind == state.reportKind else {
            Chrome.drawContext([Span(state.reportKind.title, .strong), Span("  building" + glyphs.ellipsis, .muted)], into: &buffer)
            return
        }
        if let postCommissioning = report.postCommissioning {
            drawPostCommissioning(postCommissioning, state, body: body, into: &buffer)
        } else if let counterRisk = report.counterRisk {
            drawCounterRisk(counterRisk, state, body: body, into: &buffer)
        }
    }

    /// `  7 shown  filter WORDS  sort COLUMN`, while a filter or sort is in use.
    /// The context line: the report's title and totals, or while a filter or sort is in use,
    /// how many rows it shows and what it is.
    static func context(_ title: [Span], totals: [Span], _ state: AppState, shown: Int, of total: Int) -> [Span] {
        guard !state.reportsQuery.isEverything else { return title + totals }
        return title + [Span("\(shown) of \(total) shown", .strong)]
            + ListsView.queryContext(state.reportsQuery, titles: AppState.reportTitles(state.reportKind), ownOrder: "report order")
    }

    static func drawNoMatch(_ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        buffer.write("No row holds '\(state.reportsQuery.filterText.trimmingSpaces)'. Press / to change the filter or Esc to clear it.",
                     x: 2, y: body.y + 2, style: .muted, limit: body.width - 4)
    }

    static func verdict(_ row: PostCommissioningReport.Row, _ glyphs: Glyphs) -> Span {
        switch row.verdict {
        case .compliant: Span("\(glyphs.succeeded) compliant", .success)
        case .pending: Span("pending", .warning)
        case .nonCompliant: Span("\(glyphs.rejected) \(row.reason?.rawValue ?? "non-compliant")", .error)
        }
    }

    static func drawPostCommissioning(_ report: PostCommissioningReport, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let totals = report.totals.reduce(into: (0, 0, 0)) { $0 = ($0.0 + $1.compliant, $0.1 + $1.pending, $0.2 + $1.nonCompliant) }
        let rows = state.reportRows
        Chrome.drawContext(context([Span("Post-commissioning", .strong), Span(" as of \(report.asOf.dateOnly)  ")], totals: [
            Span("\(totals.0) compliant", .success), Span("  "),
            Span("\(totals.1) pending", .warning), Span("  "), Span("\(totals.2) non-compliant", totals.2 > 0 ? .error : .plain),
        ], state, shown: rows.count, of: report.rows.count), into: &buffer)
        let table = Table(columns: [
            TableColumn("DEVICE", minimum: 23), TableColumn("SUPPLIER", minimum: 9, preferred: 16),
            TableColumn("COMMISS.", minimum: 10), TableColumn("NO AT +7 DAYS", minimum: 13, preferred: 16),
            TableColumn("VERDICT", minimum: 18, preferred: 36),
        ], width: body.width)
        ListsView.drawHeader(table, state.reportsQuery, glyphs: glyphs, into: &buffer, y: body.y)
        let viewport = Layout.masterViewport(state.size)
        if report.rows.isEmpty {
            buffer.write("No GPF was commissioned by \(report.asOf.dateOnly).", x: 2, y: body.y + 2, style: .muted)
        } else if rows.count == 0 {
            drawNoMatch(state, body: body, into: &buffer)
        }
        let cursor = table.drawRows(into: &buffer, y: body.y, count: rows.count, viewport: viewport,
                                    cursor: state.reportsCursor, glyphs: glyphs) { index in
            let line = report.rows[rows[index] ?? index]
            return [
                Span(line.device.description), Span(line.supplier), Span(line.commissionedAt.dateOnly),
                Span(line.heldAtDeadline ?? "-", line.heldAtDeadline == nil ? .muted : .plain), verdict(line, glyphs),
            ]
        }
        let paneTop = body.y + 1 + viewport
        let room = body.y + body.height - paneTop - 1
        guard room > 0 else { return }
        buffer.write(String(repeating: glyphs.horizontal, count: body.width), x: 0, y: paneTop, style: .muted)
        buffer.write(" per Supplier ", x: 2, y: paneTop, style: .strong)
        var lines: [StyledLine] = []
        if let selected = rows[cursor.selected] {
            let row = report.rows[selected]
            lines.append([Span("selected  ", .muted), Span(row.device.description, .strong),
                          Span("  deadline \(row.deadline.dateOnly)  "), verdict(row, glyphs)])
            lines.append(OrganisationName.line([("supplier  ", row.supplier), ("NO at +7 days ", row.heldAtDeadline)],
                                               state.estate?.ledger, width: body.width - 2))
        }
        let columns = [20, 10, 8, 14, 6]
        func cells(_ values: [String], _ style: CellStyle) -> StyledLine {
            [Span("          ")] + values.enumerated().map { index, value in
                Span(TextWidth.fit(value, to: columns[index], alignRight: index > 0) + " ", style)
            }
        }
        lines.append(cells(["SUPPLIER", "COMPLIANT", "PENDING", "NON-COMPLIANT", "TOTAL"], .heading))
        let shown = max(0, room - lines.count)
        for supplier in report.totals.prefix(report.totals.count > shown ? max(0, shown - 1) : shown) {
            lines.append(cells([supplier.supplier, String(supplier.compliant), String(supplier.pending),
                                String(supplier.nonCompliant), String(supplier.total)], .plain))
        }
        if report.totals.count > shown {
            lines.append([Span("          \(report.totals.count - max(0, shown - 1)) more: anchordesk report post-commissioning", .muted)])
        }
        for (row, line) in lines.prefix(room).enumerated() {
            buffer.draw(line, x: 1, y: paneTop + 1 + row, width: body.width - 2)
        }
    }

    static func drawCounterRisk(_ report: CounterRiskReport, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let unrecorded = report.rows.filter { $0.risk == .noRecordedCounter }.count
        let rows = state.reportRows
        Chrome.drawContext(context([Span("Counter risk:", .strong), Span(" ")], totals: [
            Span("\(report.rows.count) GPFs  "),
            Span("\(report.rows.count - unrecorded) recorded-above-generated"), Span("  "),
            Span("\(unrecorded) no-recorded-counter", unrecorded > 0 ? .warning : .plain),
        ], state, shown: rows.count, of: report.rows.count), into: &buffer)
        let table = Table(columns: [
            TableColumn("DEVICE", minimum: 23), TableColumn("RECORDED", minimum: 16, preferred: 20, alignRight: true),
            TableColumn("RISK", minimum: 24), TableColumn("FORMER GNO", minimum: 9, preferred: 22),
        ], width: body.width)
        ListsView.drawHeader(table, state.reportsQuery, glyphs: glyphs, into: &buffer, y: body.y)
        let viewport = Layout.masterViewport(state.size)
        if report.rows.isEmpty {
            buffer.write("No GPF holding the ACB's certificate is at risk.", x: 2, y: body.y + 2, style: .muted)
        } else if rows.count == 0 {
            drawNoMatch(state, body: body, into: &buffer)
        }
        let cursor = table.drawRows(into: &buffer, y: body.y, count: rows.count, viewport: viewport,
                                    cursor: state.reportsCursor, glyphs: glyphs) { index in
            let line = report.rows[rows[index] ?? index]
            return [
                Span(line.device.description), Span(line.recordedCounter?.description ?? "-"),
                Span(line.risk.rawValue, line.risk == .noRecordedCounter ? .warning : .plain),
                Span(line.formerNetworkOperator ?? "-", line.formerNetworkOperator == nil ? .muted : .plain),
            ]
        }
        let paneTop = body.y + 1 + viewport
        let room = body.y + body.height - paneTop - 1
        guard room > 0, let selected = rows[cursor.selected] else { return }
        let row = report.rows[selected]
        buffer.write(String(repeating: glyphs.horizontal, count: body.width), x: 0, y: paneTop, style: .muted)
        buffer.write(" \(row.device) ", x: 2, y: paneTop, style: .strong)
        var lines: [StyledLine] = [
            OrganisationName.line([("supplier  ", row.supplier), ("former GNO ", row.formerNetworkOperator)],
                                  state.estate?.ledger, width: body.width - 2),
            [Span("counters  ", .muted), Span("recorded \(row.recordedCounter?.description ?? "none"), ACB's next generated \(row.nextGenerated?.description ?? "none")")],
        ]
        for (index, part) in TextWrap.lines(row.action, width: max(10, body.width - 12)).enumerated() {
            lines.append([Span(index == 0 ? "action    " : "          ", .muted), Span(part, .strong)])
        }
        for (index, line) in lines.prefix(room).enumerated() {
            buffer.draw(line, x: 1, y: paneTop + 1 + index, width: body.width - 2)
        }
    }
}
