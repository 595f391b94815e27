import Foundation

/// A one-line progress bar with rate and time left, redrawn on stderr at most ten times a second.
final class ProgressLine {
    private let total: Int
    private let started = Date()
    private var lastDrawn = Date.distantPast

    init(total: Int) {
        self.total = total
    }

    func update(done: Int) {
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let remaining = rate > 0 ? Int(Double(total - done) / rate) : 0
        let line = String(format: "\r[%@] %d/%d %3.0f%%  %.0f/s  ETA %d:%02d ", bar, done, total, fraction * 100, rate, remaining / 60, remaining % 60)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
