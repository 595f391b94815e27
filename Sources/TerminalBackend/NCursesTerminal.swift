import AnchorTUI
import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses terminal: the only code that calls curses.
///
/// Use ``withTerminal(environment:_:)``: it starts curses, runs the body, and restores the
/// terminal on every way out (return, thrown error); a crash signal restores it too.
public struct NCursesTerminal: TerminalDevice {
    /// Colour and Unicode as this terminal and environment allow.
    public let appearance: Appearance
    private var previous: CellBuffer?

    private init(appearance: Appearance) {
        self.appearance = appearance
    }

    /// Why the terminal could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts curses, runs `body` with the terminal, and restores the terminal afterwards.
    /// - Parameter environment: read for `NO_COLOR`.
    /// - Throws: ``StartError`` when there is no usable terminal; rethrows the body's errors.
    public static func withTerminal<Result>(
        environment: [String: String], _ body: (inout NCursesTerminal) throws -> Result
    ) throws -> Result {
        let unicode = cn_setup_locale() == 1
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StartError(description: "the console needs a terminal; use the subcommands (see 'anchordesk help') in scripts")
        }
        guard cn_start() == 0 else { throw StartError(description: "cannot start the terminal (is TERM set?)") }
        defer { cn_stop() }
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let colour = !noColour && cn_start_colour() == 1
        var terminal = NCursesTerminal(appearance: Appearance(unicode: unicode, colour: colour))
        return try body(&terminal)
    }

    public var size: Size { Size(columns: Int(cn_cols()), rows: Int(cn_lines())) }

    public mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
        var value: UInt32 = 0
        switch cn_read_event(Int32(timeoutMilliseconds), &value) {
        case Int32(CN_EVENT_CHAR): return Self.key(forCharacter: value).map(TerminalEvent.key) ?? .idle
        case Int32(CN_EVENT_KEY): return Self.key(forFunctionKey: value).map(TerminalEvent.key) ?? .idle
        case Int32(CN_EVENT_RESIZE):
            previous = nil
            return .resize(size)
        case Int32(CN_EVENT_SIGNAL): return .terminate
        case Int32(CN_EVENT_MOUSE):
            var kind: Int32 = 0, x: Int32 = 0, y: Int32 = 0
            guard cn_last_mouse(&kind, &x, &y) == 1 else { return .idle }
            let button: MouseEvent.Kind? = switch kind {
            case Int32(CN_MOUSE_CLICK): .click
            case Int32(CN_MOUSE_DOUBLE_CLICK): .doubleClick
            case Int32(CN_MOUSE_WHEEL_UP): .wheelUp
            case Int32(CN_MOUSE_WHEEL_DOWN): .wheelDown
            default: nil
            }
            return button.map { .mouse(MouseEvent(kind: $0, x: Int(x), y: Int(y))) } ?? .idle
        default: return .idle
        }
    }

    public mutating func draw(_ buffer: CellBuffer) {
        let full = previous.map { $0.width != buffer.width || $0.height != buffer.height } ?? true
        if full { erase() }
        var scalars: [UInt32] = []
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if !full, let previous, previous[x, y] == cell { continue }
                guard let character = cell.character else { continue }
                scalars.removeAll(keepingCapacity: true)
                for scalar in character.unicodeScalars.prefix(5) { scalars.append(scalar.value) }
                _ = cn_put_cell(Int32(y), Int32(x), scalars, Int32(scalars.count), attributes(cell.style),
                                appearance.colour ? Int32(cell.style.colour.rawValue) : 0)
            }
        }
        refresh()
        previous = buffer
    }

    public mutating func setMouse(_ enabled: Bool) {
        cn_set_mouse(enabled ? 1 : 0)
    }

    public mutating func invalidate() {
        previous = nil
        clearok(cn_stdscr(), true)
    }

    public mutating func copy(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Base64.encode(Array(text.utf8)) + "\u{07}"
        let bytes = Array(sequence.utf8)
        _ = bytes.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    private func attributes(_ style: CellStyle) -> Int32 {
        var bits: Int32 = 0
        if style.bold { bits |= Int32(CN_BOLD) }
        if style.reverse { bits |= Int32(CN_REVERSE) }
        if style.dim { bits |= Int32(CN_DIM) }
        if style.underline { bits |= Int32(CN_UNDERLINE) }
        return bits
    }

    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(value + 0x60)!))
        case 0x00...0x1F: return nil
        default:
            guard let scalar = Unicode.Scalar(value), !DisplaySafeCheck.isControl(scalar) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func key(forFunctionKey value: UInt32) -> Key? {
        switch Int(value) {
        case Int(CN_KEY_UP): .up
        case Int(CN_KEY_DOWN): .down
        case Int(CN_KEY_LEFT): .left
        case Int(CN_KEY_RIGHT): .right
        case Int(CN_KEY_PAGE_UP): .pageUp
        case Int(CN_KEY_PAGE_DOWN): .pageDown
        case Int(CN_KEY_HOME): .home
        case Int(CN_KEY_END): .end
        case Int(CN_KEY_BACKSPACE): .backspace
        case Int(CN_KEY_DELETE): .delete
        case Int(CN_KEY_BACK_TAB): .backTab
        case Int(CN_KEY_ENTER): .enter
        default: nil
        }
    }
}

/// Control characters never become typed text.
enum DisplaySafeCheck {
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// Base64 for OSC 52, without Foundation.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func encode(_ bytes: [UInt8]) -> String {
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let values = Array(chunk) + Array(repeating: 0, count: 3 - chunk.count)
            let combined = UInt32(values[0]) << 16 | UInt32(values[1]) << 8 | UInt32(values[2])
            for position in 0..<4 {
                if position <= chunk.count {
                    output.append(alphabet[Int(combined >> UInt32(18 - position * 6) & 0x3F)])
                } else {
                    output.append("=")
                }
            }
            index += 3
        }
        return output
    }
}
