import AnchorTUI
import Testing

@Suite("One key table")
struct KeyMapTests {
    @Test func everyFooterHintIsABindingInTheHelpScreen() {
        // Wide enough that no label wraps, so each label can be found whole.
        var state = TUIFixture.state(size: Size(columns: 160, rows: 40))
        _ = Update.update(&state, .key(.character("?")))
        var helpText = ""
        for scroll in 0...HelpOverlay_maxScroll(state) {
            state.modal = .help(scroll: scroll)
            helpText += Renderer.render(state).lines.joined(separator: "\n")
        }
        for binding in KeyMap.bindings {
            #expect(helpText.contains(binding.label), "help lacks '\(binding.label)'")
        }
        for binding in KeyMap.bindings where binding.hint != nil {
            #expect(binding.keys.isEmpty == false)
        }
    }

    @Test func noKeyIsBoundTwiceInOneContext() {
        for context in KeyContext.allCases {
            var seen: [Key: Action] = [:]
            for binding in KeyMap.bindings where binding.contexts.contains(context) {
                for key in binding.keys {
                    if let other = seen[key], other != binding.action {
                        Issue.record("\(key) is bound to \(other) and \(binding.action) in \(context)")
                    }
                    seen[key] = binding.action
                }
            }
        }
    }

    @Test func sendingIsNeverOnANavigationKeyAlone() {
        // The confirmation's focus starts on Cancel: Enter alone (a navigation key) cannot send.
        var state = TUIFixture.state()
        let effects = TUIFixture.press([.enter, .character("r"), .enter, .enter, .enter, .enter], &state)
        #expect(!effects.contains { if case .submit = $0 { true } else { false } })
    }

    /// The help screen's scroll limit, read through its public effect: scrolling to the bottom.
    func HelpOverlay_maxScroll(_ state: AppState) -> Int {
        var state = state
        state.modal = .help(scroll: 0)
        _ = Update.update(&state, .key(.character("G")))
        if case .help(let scroll) = state.modal { return scroll }
        return 0
    }
}

@Suite("Writing actions and keys")
struct WritingKeyTests {
    @Test func noWritingActionSharesAKeyWithNavigation() {
        let navigation = Set(KeyMap.bindings(in: .navigation).flatMap(\.keys))
        let writing = KeyMap.bindings.filter(\.writes)
        #expect(Set(writing.map(\.action)) == [.launchRequest, .recoveryEvent, .subscribe, .cease, .revoke])
        for binding in writing {
            #expect(navigation.isDisjoint(with: binding.keys), "\(binding.action) shares a key with navigation")
        }
    }

    @Test func readOnlyHidesWritingHintsAndMarksThemInHelp() {
        var state = TUIFixture.state(readOnly: true)
        TUIFixture.press([.character("O")], &state)
        let footer = Renderer.render(state).lines.last ?? ""
        for hint in KeyMap.bindings.filter(\.writes).compactMap(\.hint) {
            #expect(!footer.contains(hint), "read-only footer shows '\(hint)'")
        }
        state = TUIFixture.state(size: Size(columns: 160, rows: 200), readOnly: true)
        TUIFixture.press([.character("?")], &state)
        let help = Renderer.render(state).lines.joined(separator: "\n")
        #expect(help.components(separatedBy: "(disabled: read-only)").count - 1 == KeyMap.bindings.filter(\.writes).count)
    }
}
