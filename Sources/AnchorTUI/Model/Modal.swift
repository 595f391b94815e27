/// What is open over the current screen, taking the keys.
public enum Modal: Hashable, Sendable {
    /// The help screen, scrolled.
    case help(scroll: Int)
    /// Typing a filter expression.
    case filter(TextField)
    /// The `:` command palette.
    case palette(TextField)
    /// The request launcher's form.
    case launcher(LauncherForm)
    /// The confirmation dialog.
    case confirm(Confirmation)
    /// A request is being sent.
    case sending(RequestDraft)
    /// The outcome of the last request.
    case outcome(OutcomeReport)
}
