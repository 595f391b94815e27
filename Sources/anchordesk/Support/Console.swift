import Foundation

/// Where output goes: data to stdout, diagnostics to stderr, one line each.
enum Console {
    /// A line on stdout.
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Bytes on stdout as they are (a document such as signed XML).
    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
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
}
