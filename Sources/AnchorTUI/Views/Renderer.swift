import AnchorCore

/// The console's view function: state in, cell buffer out. Pure, so tests compare buffers.
public enum Renderer {
    /// Draws the whole screen at the state's size.
    public static func render(_ state: AppState) -> CellBuffer {
        render(state, size: state.size)
    }

    /// Draws the whole screen at a size.
    public static func render(_ state: AppState, size: Size) -> CellBuffer {
        var state = state
        state.size = size
        var buffer = CellBuffer(width: size.columns, height: size.rows, asciiOnly: !state.appearance.unicode)
        guard size.columns >= 20, size.rows >= 6 else {
            buffer.write("AnchorDesk: make the terminal at least 80x24", x: 0, y: 0)
            return buffer
        }
        Chrome.drawTitleBar(state, into: &buffer)
        let body = Rect(x: 0, y: Layout.headerRows, width: size.columns, height: Layout.bodyRows(size))
        if let estate = state.estate {
            switch state.screen {
            case .devices: DevicesView.draw(state, estate: estate, body: body, into: &buffer)
            case .device, .counters, .organisation: Pages.draw(state, body: body, into: &buffer)
            case .reports: ReportsView.draw(state, estate: estate, body: body, into: &buffer)
            case .requests: RequestsView.draw(state, estate: estate, body: body, into: &buffer)
            case .organisations: OrganisationsView.draw(state, estate: estate, body: body, into: &buffer)
            }
        } else {
            Chrome.drawContext([Span(state.loadError == nil ? "Loading the store…" : "The store could not be opened", .strong)],
                               into: &buffer)
            let text = state.loadError ?? "Opening \(state.storePath) read-only…"
            for (row, line) in TextWrap.lines(text, width: size.columns - 4).prefix(body.height - 1).enumerated() {
                buffer.write(line, x: 2, y: body.y + 1 + row, style: state.loadError == nil ? .plain : .error)
            }
        }
        if let modal = state.modal {
            Overlays.draw(modal, state, body: body, into: &buffer)
        }
        Chrome.drawStatusLine(state, into: &buffer)
        Chrome.drawHints(state, into: &buffer)
        return buffer
    }
}

/// A rectangle of the screen.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// A rectangle of `width` × `height` centred in this one.
    public func centred(width: Int, height: Int) -> Rect {
        let width = min(width, self.width)
        let height = min(height, self.height)
        return Rect(x: x + (self.width - width) / 2, y: y + (self.height - height) / 2, width: width, height: height)
    }
}
