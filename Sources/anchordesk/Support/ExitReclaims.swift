/// What a one-shot command leaves for the process's exit to take back: the store directory
/// sessions and stores it opened, once closed. (A PostgreSQL store's are freed as before: freeing
/// them closes their connections cleanly.)
///
/// Freeing a large estate object by object (after a bulk run, the changed devices, the counter
/// histories and the simulated devices' key tables: hundreds of thousands of allocations) took
/// about 0.3 s at the end of a 101,426-device bulk run; the exit gives the same memory back at
/// once. Closing still releases the store's lock and journal; what is left is memory and the
/// snapshot's mappings, so a command that runs on (`serve`) must not leave its session here.
enum ExitReclaims {
    /// Touched only by the main thread, which runs the commands.
    nonisolated(unsafe) private static var kept: [AnyObject] = []

    /// Keeps `object` until the process exits.
    static func keep(_ object: AnyObject) {
        kept.append(object)
    }
}
