import AnchorCore

/// The devices table: virtualised, so only the rows on screen are worked out.
enum DevicesView {
    static func table(width: Int) -> Table {
        Table(columns: [
            TableColumn(DeviceColumn.id.title, minimum: 23),
            TableColumn(DeviceColumn.type.title, minimum: 4),
            TableColumn(DeviceColumn.supplier.title, minimum: 8, preferred: 16),
            TableColumn(DeviceColumn.networkOperator.title, minimum: 13, preferred: 14),
            TableColumn(DeviceColumn.recordedCounter.title, minimum: 16, preferred: 20, alignRight: true),
            TableColumn(DeviceColumn.lastRequest.title, minimum: 9, preferred: 28),
        ], width: width)
    }

    static func draw(_ state: AppState, estate: Estate, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let total = estate.devices.count
        var context: [Span] = [Span("\(state.deviceRows.count)", .strong), Span(" of \(state.previewOf ?? total) devices")]
        if let paging = state.paging {
            context = [Span("\(state.deviceRows.count)", .strong), Span(" shown of \(paging.matching) matching, \(state.previewOf ?? total) devices"),
                       Span("  a page from \(state.pageSource)", .muted)]
        } else if state.previewOf != nil {
            context.append(Span("  reading the rest…", .muted))
        }
        if !state.filterText.isEmpty {
            context += [Span("  filter ", .muted), Span(state.filterText, .strong)]
        }
        if !state.marked.isEmpty { context += [Span("  \(state.marked.count) marked", .warning)] }
        context += [Span("  sort ", .muted), Span(Update.sortDescription(state.sort))]
        Chrome.drawContext(context, into: &buffer)

        let table = table(width: body.width)
        let sortMark = state.sort.ascending ? glyphs.ascending : glyphs.descending
        table.drawHeader(into: &buffer, y: body.y, sortedColumn: state.sort.column?.rawValue, sortMark: sortMark)
        let viewport = Layout.devicesViewport(state.size)
        if state.deviceRows.isEmpty {
            let message = (state.previewOf ?? total) == 0 ? "The store has no devices."
                : "No device matches '\(state.filterText)'. Press / to change the filter or Esc to clear it."
            for (row, line) in TextWrap.lines(message, width: body.width - 4).enumerated() {
                buffer.write(line, x: 2, y: body.y + 2 + row, style: .muted)
            }
            return
        }
        let ledger = estate.ledger
        let cursor = table.drawRows(into: &buffer, y: body.y, count: state.deviceRows.count, viewport: viewport,
                                    cursor: state.devicesCursor, glyphs: glyphs) { index in
            cells(estate.devices[Int(state.deviceRows[index])], ledger, glyphs)
        }
        // A marked row carries a * beside the selection marker.
        for row in 0..<min(viewport, state.deviceRows.count - cursor.offset) where !state.marked.isEmpty {
            let index = cursor.offset + row
            guard state.marked.contains(estate.devices[Int(state.deviceRows[index])].id) else { continue }
            buffer.write("*", x: 1, y: body.y + 1 + row,
                         style: index == cursor.selected ? CellStyle(bold: true, reverse: true, colour: .warning) : CellStyle(bold: true, colour: .warning))
        }
        if cursor.selected < state.deviceRows.count {
            let device = estate.devices[Int(state.deviceRows[cursor.selected])]
            // The selected device's supplier and Network Operator in full, which the cells cut.
            let names = OrganisationName.line([("supplier ", device.supplier), ("NO cell ", DeviceList.networkOperatorOwner(device, ledger))],
                                              ledger, width: body.width - 2)
            buffer.draw(names, x: 1, y: body.y + 1 + viewport, width: body.width - 2)
        }
    }

    static func cells(_ device: Device, _ ledger: Ledger, _ glyphs: Glyphs) -> [Span] {
        let owner = DeviceList.networkOperatorOwner(device, ledger)
        let ownerRole = owner.flatMap { ledger.organisation($0)?.role }
        var last = Span("-", .muted)
        if let record = ledger.lastRequest(for: device.id) {
            last = record.outcome != .rejected
                ? Span("\(record.service.rawValue) \(glyphs.succeeded) " + (record.outcome == .scheduled ? "scheduled" : "ok"), .success)
                : Span("\(record.service.rawValue) \(glyphs.rejected) \(record.reason?.rawValue ?? "rejected")", .error)
        }
        return [
            Span(device.id.description),
            Span(device.type.rawValue, device.type == .gpf ? .plain : .muted),
            Span(device.supplier),
            Span(owner ?? "(empty)", ownerRole == .acb ? .muted : .plain),
            Span(ledger.recordedCounters[device.id]?.description ?? "-", .strong),
            last,
        ]
    }
}
