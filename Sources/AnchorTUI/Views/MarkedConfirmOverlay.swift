import AnchorCore
import AnchorService

/// "Send SRV6.15.1 to N marked devices?": who signs, the dry run's expectation, Cancel first.
enum MarkedConfirmOverlay {
    static func draw(_ confirmation: MarkedConfirmation, _ state: AppState, body: Rect, into buffer: inout CellBuffer) {
        let glyphs = state.appearance.glyphs
        let draft = confirmation.draft
        let count = draft.targets.count
        let area = body.centred(width: min(body.width, 76), height: min(body.height, 13))
        buffer.box(x: area.x, y: area.y, width: area.width, height: area.height,
                   title: "Send SRV\(draft.service.rawValue) to \(count) marked device\(count == 1 ? "" : "s")?",
                   glyphs: glyphs, titleStyle: .warning)
        let inner = area.width - 4
        var y = area.y + 1
        let buttonsRow = area.y + area.height - 2
        func put(_ text: String, _ style: CellStyle = .plain) {
            for part in TextWrap.lines(text, width: inner) where y < buttonsRow - 1 {
                buffer.write(part, x: area.x + 2, y: y, style: style, limit: inner)
                y += 1
            }
        }
        switch draft.service {
        case .requestHandover:
            put("each device's Supplier asks the ACB to place \(draft.networkOperator) (the ACB signs)"
                + (draft.legacyCounters ? "; LEGACY COUNTERS: the recorded counter is ignored" : ""), draft.legacyCounters ? .error : .strong)
        default:
            put("\(draft.networkOperator) \(glyphs.arrow) NO cells: the ACB's certificates (\(draft.networkOperator)'s key signs)", .strong)
        }
        put("devices  " + draft.targets.prefix(3).map(\.device.description).joined(separator: ", ")
            + (count > 3 ? " and \(count - 3) more" : ""))
        let refused = confirmation.expectedRefusals.reduce(0) { $0 + $1.count }
        put("dry run  \(glyphs.succeeded) \(confirmation.expectedToSucceed) expected to succeed", .success)
        if refused > 0 {
            put("         \(glyphs.rejected) \(refused) expected REJECTED: "
                + confirmation.expectedRefusals.map { "\($0.count) \($0.reason)" }.joined(separator: ", "), .error)
        }
        put("One job in durable groups with progress; Esc stops after the current group. Journalled; cannot be undone.", .muted)
        Buttons.draw(cancelFocused: confirmation.focus == .cancel, confirm: "Send", y: buttonsRow, area: area, into: &buffer)
    }
}
