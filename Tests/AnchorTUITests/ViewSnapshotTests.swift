import AnchorCore
import AnchorTUI
import Testing

/// Every view rendered at 80×24 (and a few other sizes) into the cell buffer, compared with
/// the text files in `Snapshots/`.
@Suite("Views at 80×24")
struct ViewSnapshotTests {
    typealias F = TUIFixture

    @Test func devicesList() {
        Snapshot.expect(Renderer.render(F.state()), named: "devices")
    }

    @Test func devicesLongListScrolledToTheEnd() {
        var state = F.state(F.large(1_000))
        F.press([.character("G")], &state)
        #expect(state.devicesCursor.selected == 1_220)
        Snapshot.expect(Renderer.render(state), named: "devices-long-list-end")
    }

    @Test func devicesFilteredToNationalGrid() {
        var state = F.state()
        F.press([.character("/")] + F.type("no=national-grid") + [.enter], &state)
        Snapshot.expect(Renderer.render(state), named: "devices-filter-national-grid")
    }

    @Test func devicesEmptyFilterResult() {
        var state = F.state()
        F.press([.character("/")] + F.type("supplier=cadent") + [.enter], &state)
        #expect(state.deviceRows.isEmpty)
        Snapshot.expect(Renderer.render(state), named: "devices-filter-empty")
    }

    @Test func devicesSortedByCounterDescendingAfterTheStory() {
        var state = F.state(F.afterStory)
        F.press([.character("5"), .character("5")], &state)
        Snapshot.expect(Renderer.render(state), named: "devices-sorted-counter-descending")
    }

    @Test func filterPromptWhileTyping() {
        var state = F.state()
        F.press([.character("/")] + F.type("no=cad"), &state)
        Snapshot.expect(Renderer.render(state), named: "devices-filter-prompt")
    }

    @Test func deviceView() {
        var state = F.state()
        F.press([.enter], &state)
        Snapshot.expect(Renderer.render(state), named: "device")
    }

    @Test func deviceViewAfterTheHandoverScrolledDown() {
        var state = F.state(F.afterStory)
        F.press([.enter, .character("G")], &state)
        Snapshot.expect(Renderer.render(state), named: "device-after-handover-end")
    }

    @Test func counterHistory() {
        var state = F.state(F.afterStory)
        F.press([.enter, .character("c")], &state)
        Snapshot.expect(Renderer.render(state), named: "counters")
    }

    @Test func counterHistoryEmpty() {
        var state = F.state()
        F.press([.enter, .character("c")], &state)
        Snapshot.expect(Renderer.render(state), named: "counters-empty")
    }

    @Test func requestLogWithARejection() {
        var state = F.state(F.afterStory)
        F.press([.character("L")], &state)
        Snapshot.expect(Renderer.render(state), named: "request-log")
    }

    @Test func organisations() {
        var state = F.state()
        F.press([.character("O"), .character("j"), .character("j"), .character("j")], &state)
        Snapshot.expect(Renderer.render(state), named: "organisations")
    }

    @Test func help() {
        var state = F.state()
        F.press([.character("?")], &state)
        Snapshot.expect(Renderer.render(state), named: "help")
    }

    @Test func launcherForAHandBack() {
        var state = F.state()
        F.press([.enter, .character("r")], &state)
        Snapshot.expect(Renderer.render(state), named: "launcher-6.15.1")
    }

    @Test func launcherForAHandoverShowsRecordedPlusOne() {
        var state = F.state(F.afterStory)
        // The second device: handed back, then a legacy handover was refused; ACB holds it.
        F.press([.character(":")] + F.type("00DB12022FAEE44E") + [.enter, .character("r")], &state)
        let screen = Renderer.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("≥ generated"))
        #expect(screen.contains("using recorded+1"))
        Snapshot.expect(Renderer.render(state), named: "launcher-6.21")
    }

    @Test func confirmation() {
        var state = F.state()
        F.press([.enter, .character("r"), .enter], &state)
        Snapshot.expect(Renderer.render(state), named: "confirm")
    }

    @Test func rejectionOutcome() {
        var state = F.state(F.afterStory)
        let rejected = F.afterStory.ledger.requests.last!
        #expect(rejected.outcome == .rejected)
        _ = Update.update(&state, .requestFinished(.processed(rejected, F.afterStory)))
        let screen = Renderer.render(state)
        #expect(screen.lines.contains { $0.contains("REJECTED: anti-replay") })
        #expect(screen.lines[screen.height - 2].contains("REJECTED (anti-replay)"))
        Snapshot.expect(screen, named: "outcome-rejected")
    }

    @Test func notSentOutcome() {
        var state = F.state()
        _ = Update.update(&state, .requestFinished(.notSent("the store is locked by another writer (pid 42); try again")))
        Snapshot.expect(Renderer.render(state), named: "outcome-not-sent")
    }

    @Test func readOnlyAndLegacyFlagsInTheTitleBar() {
        var state = F.state(readOnly: true)
        F.press([.character(":")] + F.type("legacy") + [.enter], &state)
        Snapshot.expect(Renderer.render(state), named: "devices-read-only-legacy")
    }

    @Test func asciiFallback() {
        var state = F.state(F.afterStory, appearance: Appearance(unicode: false, colour: false))
        F.press([.enter], &state)
        let buffer = Renderer.render(state)
        for line in buffer.lines {
            let ascii = line.allSatisfy { $0.isASCII }
            #expect(ascii, "non-ASCII in |\(line)|")
        }
        Snapshot.expect(buffer, named: "device-ascii")
    }

    @Test func widerTerminal() {
        var state = F.state(F.afterStory, size: Size(columns: 120, rows: 30))
        F.press([.character("5"), .character("5")], &state)
        Snapshot.expect(Renderer.render(state), named: "devices-120x30")
    }

    @Test func loadingAndLoadFailure() {
        var state = AppState(storePath: "/nowhere", size: .minimum)
        Snapshot.expect(Renderer.render(state), named: "loading")
        _ = Update.update(&state, .loaded(.failed("no AnchorDesk store here; create one with 'anchordesk init --demo' (/nowhere)")))
        Snapshot.expect(Renderer.render(state), named: "load-failed")
    }
}

/// Data that tries to attack the terminal never reaches it.
@Suite("Hostile strings")
struct HostileStringTests {
    typealias F = TUIFixture

    static func expectSafe(_ buffer: CellBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                guard let character = buffer[x, y].character else { continue }
                for scalar in character.unicodeScalars {
                    #expect(!DisplaySafeText.isUnsafe(scalar), "unsafe U+\(String(scalar.value, radix: 16)) at \(x),\(y)",
                            sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test func everyViewOfAHostileEstateIsSafe() {
        let sequences: [[Key]] = [
            [], [.enter], [.enter, .character("c")], [.character("O"), .character("j")], [.character("O"), .character("j"), .character("j")],
            [.enter, .character("r")], [.enter, .character("r"), .right], [.enter, .character("r"), .enter],
            [.character("?")],
        ]
        for keys in sequences {
            var state = F.state(F.hostile)
            F.press(keys, &state)
            Self.expectSafe(Renderer.render(state))
        }
    }

    @Test func organisationNameWithEscapesRendersReplaced() {
        var state = F.state(F.hostile)
        F.press([.character("O"), .character("j")], &state)
        let buffer = Renderer.render(state)
        Self.expectSafe(buffer)
        let text = buffer.lines.joined(separator: "\n")
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{202E}"))
        #expect(text.contains("Evil\u{FFFD}[31mRed\u{FFFD}desrever\u{FFFD}"))
        Snapshot.expect(buffer, named: "hostile-organisations")
    }

    @Test func hostileDeviceView() {
        var state = F.state(F.hostile)
        F.press([.enter], &state)
        let buffer = Renderer.render(state)
        Self.expectSafe(buffer)
        Snapshot.expect(buffer, named: "hostile-device")
    }

    @Test func typedControlCharactersAreSanitisedToo() {
        var state = F.state()
        F.press([.character("/"), .character("\u{1B}"), .character("\u{202E}")], &state)
        Self.expectSafe(Renderer.render(state))
    }
}
