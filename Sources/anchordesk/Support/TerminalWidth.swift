import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How wide the terminal that stdout writes to is.
enum TerminalWidth {
    /// The columns of the terminal on stdout (its window size, else `$COLUMNS`), or `nil` when
    /// stdout is not a terminal (a pipe or a file takes lines whole) or no width is known.
    static func ofStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
