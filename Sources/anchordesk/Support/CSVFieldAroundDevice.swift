/// A CSV field made from a text that names a device by its ID and is otherwise the same for
/// every device, prepared once (quoted and neutralised as ``ReportFormat/appendCSVField(_:to:)``
/// makes it) as its bytes before and after the ID: a canonical ID holds nothing a field is
/// quoted, neutralised or escaped for, and never starts one here.
struct CSVFieldAroundDevice {
    let before: [UInt8]
    let after: [UInt8]

    /// The ID alone.
    static let bare = CSVFieldAroundDevice(before: [], after: [])

    /// The field of `text(id)`, as shown (``Presentation/safe(_:)``); `nil` when the text does
    /// not name the device exactly once after its start, and so cannot be prepared.
    init?(_ text: (String) -> String) {
        let placeholder = "00-00-00-00-00-00-00-00"
        var field: [UInt8] = []
        ReportFormat.appendCSVField(Presentation.safe(text(placeholder)), to: &field)
        let marks = Array(placeholder.utf8)
        let starts = field.indices.filter { field[$0...].starts(with: marks) }
        guard starts.count == 1, let start = starts.first, start > 0 else { return nil }
        before = Array(field[..<start])
        after = Array(field[(start + marks.count)...])
    }

    private init(before: [UInt8], after: [UInt8]) {
        self.before = before
        self.after = after
    }
}
