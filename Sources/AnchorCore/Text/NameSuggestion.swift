/// The name a user most likely meant when the one they typed is not in the store: what an
/// `unknown-org` or `unknown-certificate` error offers as "did you mean".
///
/// Names are compared by their letters and digits alone, in lower case, so `National-Grid`
/// and `nationalgrid` both find `national-grid`. Then a name that starts with what was typed
/// (`kestrel` finds `kestrel-supply`), then the nearest by edit distance (a letter added,
/// dropped, changed, or two swapped), if it is near enough to be a slip rather than another name.
public enum NameSuggestion {
    /// The name among `names` closest to `typed`, or `nil` when none is close.
    ///
    /// Ties go to the shorter name, then to the first in alphabetical order, so the answer does
    /// not depend on the order the store keeps its names in.
    public static func closest(to typed: String, among names: some Sequence<String>) -> String? {
        let wanted = comparable(typed)
        guard !wanted.isEmpty else { return nil }
        let candidates = names.map { (name: $0, key: comparable($0)) }.sorted { ($0.name.count, $0.name) < ($1.name.count, $1.name) }
        if let same = candidates.first(where: { $0.key == wanted }) { return same.name }
        if wanted.count >= 3, let extended = candidates.first(where: { $0.key.starts(with: wanted) }) { return extended.name }
        let allowed = max(1, wanted.count / 4)
        var best: (name: String, distance: Int)?
        // The distance is at least the difference in length: a name far longer or shorter than
        // one is not compared letter by letter (a pasted megabyte would take minutes per name).
        for candidate in candidates where abs(candidate.key.count - wanted.count) <= allowed {
            let distance = editDistance(wanted, candidate.key)
            if distance <= allowed, distance < (best?.distance ?? .max) { best = (candidate.name, distance) }
        }
        return best?.name
    }

    /// The letters and digits of a name, lower-cased.
    private static func comparable(_ name: String) -> [Character] {
        name.lowercased().filter { $0.isLetter || $0.isNumber }.map { $0 }
    }

    /// The optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two adjacent characters, each counting one.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
