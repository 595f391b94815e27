import AnchorService
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
    /// Confirming a lifecycle action (focus on Cancel; a hand-back needs the typed count).
    case lifecycleConfirm(LifecycleConfirmation)
    /// The Recovery Event form.
    case recoveryForm(RecoveryForm)
    /// The Recovery Event preview, confirmed by typing the device count.
    case recoveryConfirm(RecoveryPreview, form: RecoveryForm)
    /// A lifecycle action or bulk job is running.
    case progress(BulkProgress?)
    /// What a lifecycle action or bulk job came to.
    case jobOutcome(JobOutcome)
    /// Confirming SRV6.15.1 or SRV6.21 to every marked device (focus on Cancel).
    case markedConfirm(MarkedConfirmation)
    /// Typing the reports' as-of date.
    case asOf(TextField)
}
