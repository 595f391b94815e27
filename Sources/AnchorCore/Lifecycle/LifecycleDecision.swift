/// What a lifecycle action comes to: a change to commit (succeeded or refused), or nothing to do.
public enum LifecycleDecision: Hashable, Sendable {
    /// Commit this change; its record says whether it succeeded or was refused.
    case change(LifecycleChange)
    /// The organisation is already in the asked-for state; nothing is written.
    case unchanged(String)
}
