import AnchorCore

/// Organisations written whole, ID and name, where a table cell cuts them.
enum OrganisationName {
    /// `label id (Name)` for each organisation, in one line of `width` columns: with the names
    /// if they fit, else the IDs alone (which the cells above cut).
    /// - Parameter parts: a label and an organisation ID (`nil`: none) each.
    static func line(_ parts: [(label: String, id: String?)], _ ledger: Ledger?, width: Int) -> StyledLine {
        func spans(named: Bool) -> StyledLine {
            var line: StyledLine = []
            for (index, part) in parts.enumerated() {
                line.append(Span((index == 0 ? "" : "  ") + part.label, .muted))
                guard let id = part.id else {
                    line.append(Span("(empty)", .muted))
                    continue
                }
                line.append(Span(id, .strong))
                if named, let name = ledger?.organisation(id)?.name { line.append(Span(" (\(name))", .muted)) }
            }
            return line
        }
        let named = spans(named: true)
        return named.reduce(0) { $0 + TextWidth.of($1.text) } <= width ? named : spans(named: false)
    }
}
