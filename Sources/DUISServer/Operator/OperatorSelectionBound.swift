import AnchorCore
import AnchorStore

/// The most devices a bulk run through the operator API may select
/// (``DUISServiceConfiguration/operatorBulkDevices``): on a database counted before any is read,
/// so no operator makes the DSP hold a national estate's devices; on a store directory, whose
/// estate the DSP holds anyway, counted once selected.
struct OperatorSelectionBound {
    let bound: Int
    let paging: (any DevicePaging)?
    /// The command to name for a larger run, at the DSP.
    let atTheDSP: String

    /// Refuses `filter` before its devices are read, when the store can count them first.
    func checkBefore(_ filter: DeviceFilter) throws {
        guard let matching = try paging?.page(.first, filter: filter, sort: DeviceSort(), limit: 0).matching else { return }
        try check(matching)
    }

    /// Refuses `matching` devices past the bound.
    func check(_ matching: Int) throws(OperatorFailure) {
        guard matching > bound else { return }
        throw .unavailable(
            "the filter matches \(matching) devices, more than the \(bound) a bulk run through the operator API reads: narrow it (supplier=…, ID digits), or run '\(atTheDSP)' at the DSP")
    }
}
