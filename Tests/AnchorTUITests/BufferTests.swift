import AnchorTUI
import Testing

@Suite("Cell buffer, text width, text fields")
struct BufferTests {
    @Test func writesAreClippedAndSanitised() {
        var buffer = CellBuffer(width: 10, height: 2)
        let end = buffer.write("ab\u{1B}[31mcdefghijkl", x: 1, y: 0)
        #expect(end == 10)
        #expect(buffer.line(0) == " ab\u{FFFD}[31mcd")
        buffer.write("xyz", x: 0, y: 1, limit: 2)
        #expect(buffer.lines[1] == "xy")
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverSplit() {
        var buffer = CellBuffer(width: 5, height: 1)
        buffer.write("ab漢字", x: 0, y: 0)
        #expect(buffer.line(0) == "ab漢 ")
        #expect(buffer[3, 0].character == nil)
        buffer.write("Z", x: 3, y: 0)
        #expect(buffer.line(0) == "ab Z ")
    }

    @Test func asciiOnlyBuffersReplaceOtherCharacters() {
        var buffer = CellBuffer(width: 8, height: 1, asciiOnly: true)
        buffer.write("a→b✓", x: 0, y: 0)
        #expect(buffer.lines[0] == "a?b?")
    }

    @Test func truncationUsesDisplayWidth() {
        #expect(TextWidth.truncate("national-grid", to: 8) == "nationa…")
        #expect(TextWidth.truncate("漢字漢字", to: 5) == "漢字…")
        #expect(TextWidth.fit("42", to: 5, alignRight: true) == "   42")
        #expect(TextWidth.of("e\u{301}") == 1)
    }

    @Test func textFieldEditing() {
        var field = TextField("no=cadent")
        _ = field.edit(.control("w"))
        #expect(field.text == "")
        field = TextField("abc")
        _ = field.edit(.left)
        _ = field.edit(.backspace)
        _ = field.edit(.character("X"))
        #expect(field.text == "aXc")
        #expect(field.cursor == 2)
        _ = field.edit(.control("u"))
        #expect(field.text.isEmpty)
    }

    @Test func wrappingBreaksAtSpacesAndSplitsLongWords() {
        #expect(TextWrap.lines("the device refused counter 48211", width: 12) == ["the device", "refused", "counter", "48211"])
        #expect(TextWrap.lines("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func selectedRowsAreReverseVideoWithAMarker() {
        let state = TUIFixture.state()
        let buffer = Renderer.render(state)
        let row = Layout.headerRows + 1
        #expect(buffer[0, row].character == ">")
        #expect((0..<buffer.width).allSatisfy { buffer[$0, row].style.reverse })
        #expect(buffer[0, row + 1].character == " ")
        #expect(!buffer[2, row + 1].style.reverse)
    }
}
