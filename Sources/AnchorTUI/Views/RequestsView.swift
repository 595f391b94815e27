import AnchorCore

/// The request log, newest first, with the selected request's detail underneath.
enum RequestsView {
    static func draw(_ state: AppState, estate: Estate, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let rows = state.requestRows
        let count = rows.count
        let query = state.requestsQuery
        var context: [Span] = [Span("\(count)", .strong)]
        if query.isEverything {
            context.append(Span(" requests, newest first"))
        } else {
            context.append(Span(" of \(state.requestLogCount) requests") )
            context += ListsView.queryContext(query, titles: AppState.requestTitles, ownOrder: "newest first")
        }
        if let device = state.screen.device {
            context.append(Span("  device \(device)", .muted))
        } else if state.paging != nil {
            context.append(Span("  of the devices on the page shown (the database is not read whole)", .muted))
        }
        Chrome.drawContext(context, into: &buffer)
        let table = Table(columns: [
            TableColumn("WHEN", minimum: 16), TableColumn("SRV", minimum: 6), TableColumn("DEVICE", minimum: 23),
            TableColumn("REQUESTER", minimum: 10, preferred: 14), TableColumn("OUTCOME", minimum: 15, preferred: 30),
        ], width: body.width)
        ListsView.drawHeader(table, query, glyphs: glyphs, into: &buffer, y: body.y)
        let viewport = Layout.masterViewport(state.size)
        if count == 0 {
            buffer.write(state.requestLogCount == 0 ? "No requests yet. Open a device (Enter) and press r to launch one."
                         : "No request holds '\(query.filterText.trimmingSpaces)'. Press / to change the filter or Esc to clear it.",
                         x: 2, y: body.y + 2, style: .muted, limit: body.width - 4)
        }
        let cursor = table.drawRows(into: &buffer, y: body.y, count: count, viewport: viewport,
                                    cursor: state.requestsCursor, glyphs: glyphs) { index in
            guard let record = rows[index].flatMap({ state.requestRecord(newestFirst: $0) }) else { return [] }
            return [
                Span(CounterPage.when(record.at)), Span(record.service.rawValue), Span(record.device.description),
                Span(record.requester), outcome(record, glyphs),
            ]
        }
        let paneTop = body.y + 1 + viewport
        let pane = Rect(x: 0, y: paneTop, width: body.width, height: body.y + body.height - paneTop)
        guard let record = rows[cursor.selected].flatMap({ state.requestRecord(newestFirst: $0) }) else { return }
        drawDetail(record, in: pane, glyphs: glyphs, into: &buffer)
    }

    static func outcome(_ record: RequestRecord, _ glyphs: Glyphs) -> Span {
        record.outcome != .rejected ? Span("\(glyphs.succeeded) \(record.outcome.rawValue)", .success)
            : Span("\(glyphs.rejected) \(record.reason?.rawValue ?? "rejected")", .error)
    }

    /// The lines describing one processed request; the outcome panel uses them too.
    static func detailLines(_ record: RequestRecord, glyphs: Glyphs, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = [
            [Span("request   ", .muted), Span(record.requestId)],
            [Span("command   ", .muted), Span("\(record.originator) \(glyphs.arrow) \(record.device), counter "),
             Span(record.originatorCounter.description, .strong)],
        ]
        if record.service == .requestHandover {
            lines.append([Span("counters  ", .muted),
                          Span("generated \(record.generatedCounter?.description ?? "-"), recorded \(record.storedCounter?.description ?? "none")"
                               + (record.legacyCounters == true ? "  LEGACY: recorded ignored" : ""),
                               record.legacyCounters == true ? .warning : .plain)])
        }
        let resultStyle: CellStyle = record.outcome != .rejected ? .success : .error
        for (index, line) in TextWrap.lines(record.detail, width: max(10, width - 10)).enumerated() {
            lines.append([Span(index == 0 ? "result    " : "          ", .muted), Span(line, resultStyle)])
        }
        lines.append([Span("after     ", .muted), Span("recorded counter "), Span(record.recordedCounter?.description ?? "none", .strong),
                      Span(", device NO floor "), Span(record.deviceFloor?.description ?? "not reported", .strong)])
        return lines
    }

    static func drawDetail(_ record: RequestRecord, in pane: Rect, glyphs: Glyphs, into buffer: inout CellBuffer) {
        guard pane.height > 1 else { return }
        let verb = record.outcome != .rejected ? record.outcome.rawValue : "REJECTED (\(record.reason?.rawValue ?? "-"))"
        buffer.write(String(repeating: glyphs.horizontal, count: pane.width), x: pane.x, y: pane.y, style: .muted)
        buffer.write(" SRV\(record.service.rawValue) \(verb) ", x: pane.x + 2, y: pane.y,
                     style: record.outcome != .rejected ? .strong : .error)
        for (row, line) in detailLines(record, glyphs: glyphs, width: pane.width - 2).prefix(pane.height - 1).enumerated() {
            buffer.draw(line, x: pane.x + 1, y: pane.y + 1 + row, width: pane.width - 2)
        }
    }

    /// One request in a line, for the device page.
    static func summary(_ record: RequestRecord, glyphs: Glyphs, showDevice: Bool) -> StyledLine {
        [Span("  " + CounterPage.when(record.at) + "  ", .muted), Span(TextWidth.fit(record.service.rawValue, to: 7)),
         Span(TextWidth.fit(record.requester, to: 15) + " "), Span("counter \(record.originatorCounter)  "),
         outcome(record, glyphs)]
    }
}
