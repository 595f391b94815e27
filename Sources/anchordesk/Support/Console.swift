import AnchorService
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where output goes: data to stdout, diagnostics to stderr, one line each.
enum Console {
    /// A line on stdout.
    static func out(_ line: String) {
        write(Array((line + "\n").utf8))
    }

    /// Bytes on stdout as they are (a document such as signed XML).
    /// A reader that went away (`| head`) ends the process as it would without the network
    /// library, which ignores `SIGPIPE`: by `SIGPIPE`, not by a crash.
    static func write(_ bytes: [UInt8]) {
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
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// `warning: ...` on stderr.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
    }

    /// `error: ...` on stderr, folded to one line.
    static func error(_ message: String) {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data(("error: " + line + "\n").utf8))
    }

    /// What the compaction policy did after durable work: a note, a warning, or nothing.
    static func report(_ compaction: Compaction) {
        guard let message = compaction.message else { return }
        if compaction.isWarning { warn(message) } else { note(message) }
    }
}
