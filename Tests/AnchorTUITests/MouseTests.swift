import AnchorCore
import Testing
@testable import AnchorTUI

/// The mouse as in k9s and lazygit: click selects, double click opens, the wheel scrolls; off
/// with `--no-mouse` or `:mouse off`.
@Suite("Console: mouse")
struct MouseTests {
    /// The screen row of the list's `n`th visible row (the header is on the body's first row).
    static func rowY(_ n: Int) -> Int { Layout.headerRows + 1 + n }

    @Test func aClickSelectsTheRowUnderItAndADoubleClickOpensIt() {
        var state = TUIFixture.state()
        _ = Update.update(&state, .mouse(MouseEvent(kind: .click, x: 5, y: Self.rowY(3))))
        #expect(state.devicesCursor.selected == 3)
        #expect(state.screen == .devices)
        let third = state.selectedDevice?.id
        _ = Update.update(&state, .mouse(MouseEvent(kind: .doubleClick, x: 5, y: Self.rowY(3))))
        #expect(state.screen == .device(third!))
        // On a page, a click selects nothing; the wheel scrolls the page.
        _ = Update.update(&state, .mouse(MouseEvent(kind: .click, x: 5, y: Self.rowY(1))))
        #expect(state.screen == .device(third!))
        _ = Update.update(&state, .mouse(MouseEvent(kind: .wheelDown, x: 5, y: Self.rowY(1))))
        #expect(state.pageScroll > 0)
    }

    @Test func clicksOnTheHeaderOrBelowTheRowsSelectNothingAndTheWheelScrolls() {
        var state = TUIFixture.state()
        _ = Update.update(&state, .mouse(MouseEvent(kind: .click, x: 5, y: Layout.headerRows)))
        #expect(state.devicesCursor.selected == 0)
        _ = Update.update(&state, .mouse(MouseEvent(kind: .click, x: 5, y: state.size.rows - 1)))
        #expect(state.devicesCursor.selected == 0)
        _ = Update.update(&state, .mouse(MouseEvent(kind: .wheelDown, x: 5, y: Self.rowY(0))))
        #expect(state.devicesCursor.selected == Update.wheelStep)
        _ = Update.update(&state, .mouse(MouseEvent(kind: .wheelUp, x: 5, y: Self.rowY(0))))
        #expect(state.devicesCursor.selected == 0)
        // A row after scrolling: the click names the row drawn there.
        for _ in 0..<20 { _ = Update.update(&state, .mouse(MouseEvent(kind: .wheelDown, x: 5, y: Self.rowY(0)))) }
        let offset = state.devicesCursor.offset
        #expect(offset > 0)
        _ = Update.update(&state, .mouse(MouseEvent(kind: .click, x: 5, y: Self.rowY(0))))
        #expect(state.devicesCursor.selected == offset)
    }

    @Test func aDialogTakesKeysOnlyAndMouseOffIgnoresTheMouse() {
        var state = TUIFixture.state()
        TUIFixture.press([.character("?")], &state)
        _ = Update.update(&state, .mouse(MouseEvent(kind: .click, x: 5, y: Self.rowY(2))))
        #expect(state.devicesCursor.selected == 0, "a click under the help overlay does nothing")
        _ = Update.update(&state, .mouse(MouseEvent(kind: .wheelDown, x: 5, y: Self.rowY(2))))
        #expect(state.modal == .help(scroll: Update.wheelStep), "the wheel scrolls the help overlay")
        TUIFixture.press([.escape, .character(":")] + TUIFixture.type("mouse off") + [.enter], &state)
        #expect(!state.mouseEnabled)
        _ = Update.update(&state, .mouse(MouseEvent(kind: .click, x: 5, y: Self.rowY(2))))
        #expect(state.devicesCursor.selected == 0)
        let effects = TUIFixture.press([.character(":")] + TUIFixture.type("mouse on") + [.enter], &state)
        #expect(effects.contains(.setMouse(true)))
        #expect(state.mouseEnabled)
    }
}
