/// The devices a report reads, so that a store keeping its estate as rows reads only those
/// (``EstateStore/readForReport(_:warn:_:)``). Each names a superset of the devices that can
/// give the report a row: the report itself decides.
public enum ReportScope: Sendable, CaseIterable {
    /// Counter-risk: GPFs whose Network Operator DS cell holds one of the ACB's certificates,
    /// and GPFs with a schedule to report on (a pending command, or any logged history).
    case counterRisk
    /// Post-commissioning: commissioned GPFs.
    case postCommissioning
}
