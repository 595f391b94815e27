import AnchorCore
import AnchorService
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where output goes: data to stdout, diagnostics to stderr, one line each.
///
/// Every line and every block of text passes through ``DisplaySafeText/escaped(_:)`` here, the
/// one place the CLI writes: whatever an argument, the store or a peer put in it, no control
/// character, escape sequence or bidirectional override reaches the terminal as it is (each is
/// written as `\uXXXX`, which leaves JSON valid and its values the same).
enum Console {
    /// A line on stdout.
    static func out(_ line: String) {
        write(Array((DisplaySafeText.escaped(line) + "\n").utf8))
    }

    /// Text on stdout, as it is but display-safe (a block of a long report).
    static func text(_ text: String) {
        write(Array(DisplaySafeText.escaped(text).utf8))
    }

    /// UTF-8 text on stdout, as it is but display-safe: written as it is when every byte is
    /// printable ASCII or a line feed (a report's block, almost always), else through
    /// ``text(_:)``.
    static func text(utf8 bytes: [UInt8]) {
        if bytes.withUnsafeBufferPointer(DisplaySafeText.isPrintableASCIIOrLineFeed) {
            write(bytes)
        } else {
            text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// A signed document on stdout, byte for byte: its bytes are what the signature covers, and
    /// it is written for a program (`duis sign`'s output), never from a store.
    static func document(_ bytes: [UInt8]) {
        write(bytes)
    }

    /// Bytes on stdout as they are.
    /// A reader that went away (`| head`) ends the process as it would without the network
    /// library, which ignores `SIGPIPE`: by `SIGPIPE`, not by a crash.
    private static func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE {
                    signal(SIGPIPE, SIG_DFL)
                    raise(SIGPIPE)
                }
                return
            }
            offset += written
        }
    }

    /// An informational line on stderr, kept out of the data on stdout.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((DisplaySafeText.escaped(message) + "\n").utf8))
    }

    /// `warning: ...` on stderr.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data(("warning: " + DisplaySafeText.escaped(message) + "\n").utf8))
    }

    /// `error: ...` on stderr, folded to one line.
    static func error(_ message: String) {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data(("error: " + DisplaySafeText.escaped(line) + "\n").utf8))
    }

    /// What the compaction policy did after durable work: a note, a warning, or nothing.
    static func report(_ compaction: Compaction) {
        guard let message = compaction.message else { return }
        if compaction.isWarning { warn(message) } else { note(message) }
    }
}
