/// The kind of smart metering device.
public enum DeviceType: String, Codable, Sendable, CaseIterable {
    /// SMETS2 Gas Proxy Function, on the Communications Hub: the only target of this change.
    case gpf = "GPF"
    /// Electricity Smart Metering Equipment.
    case esme = "ESME"
    /// Gas Smart Metering Equipment.
    case gsme = "GSME"
    /// Communications Hub Function.
    case chf = "CHF"
}
