extension JSONValue {
    /// Writes the object `{before…, key: [rows…], after…}` exactly as ``rendered()`` would, then
    /// a newline, each row as `rows` gives it: a report over ten million devices is never held
    /// whole. `after` is asked for once the rows are written (totals counted along the way). When
    /// `rows` throws, the object is left unfinished.
    static func streamObject(
        before: [(String, JSONValue)], arrayKey: String, rows: ((JSONValue) -> Void) throws(CLIFailure) -> Void,
        after: () -> [(String, JSONValue)], to output: inout BufferedOutput
    ) throws(CLIFailure) {
        var text = "{"
        var firstMember = true
        func member(_ key: String) {
            text += firstMember ? "\n  " : ",\n  "
            firstMember = false
            appendQuoted(key, to: &text)
            text += ": "
        }
        for (key, value) in before {
            member(key)
            value.write(to: &text, indent: 1, pretty: true)
        }
        member(arrayKey)
        var anyRow = false
        try rows { row in
            text += anyRow ? ",\n    " : "[\n    "
            anyRow = true
            row.write(to: &text, indent: 2, pretty: true)
            if text.utf8.count >= 1 << 16 {
                output.write(text)
                text = ""
            }
        }
        text += anyRow ? "\n  ]" : "[]"
        for (key, value) in after() {
            member(key)
            value.write(to: &text, indent: 1, pretty: true)
        }
        output.line(text + "\n}")
    }
}
