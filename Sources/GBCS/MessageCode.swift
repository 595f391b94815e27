import AnchorCore

/// GBCS message codes AnchorDesk knows by name (GBCS-WIRE.md §2).
public enum MessageCode {
    /// CS02b Update Security Credentials codes and their variants (GBCS message codes 0x0100 to 0x0109).
    static let updateSecurityCredentials: [UInt16: String] = [
        0x0100: "CS02b Update Security Credentials (rootBySupplier)",
        0x0101: "CS02b Update Security Credentials (rootByWanProvider)",
        0x0102: "CS02b Update Security Credentials (supplierBySupplier)",
        0x0103: "CS02b Update Security Credentials (networkOperatorByNetworkOperator)",
        0x0104: "CS02b Update Security Credentials (accessControlBrokerByACB)",
        0x0105: "CS02b Update Security Credentials (wanProviderByWanProvider)",
        0x0106: "CS02b Update Security Credentials (transCoSByTransCoS)",
        0x0107: "CS02b Update Security Credentials (supplierByTransCoS)",
        0x0108: "CS02b Update Security Credentials (anyExceptAbnormalRootByRecovery)",
        0x0109: "CS02b Update Security Credentials (anyByContingency)",
    ]

    /// The future-dated CS02b alert (0x8F66 / 0x8F67).
    public static let updateSecurityCredentialsAlert: UInt16 = 0x00CB
    /// CS02d Update Device Certificate.
    public static let updateDeviceCertificate: UInt16 = 0x000B
    /// CS02g Update Security Credentials (load controller by supplier).
    public static let loadControllerUpdate: UInt16 = 0x0126
    /// The future-dated CS02g alert.
    public static let loadControllerAlert: UInt16 = 0x0124

    static let others: [UInt16: String] = [
        updateSecurityCredentialsAlert: "CS02b future-dated alert",
        updateDeviceCertificate: "CS02d Update Device Certificate",
        loadControllerUpdate: "CS02g Update Security Credentials (loadControllerBySupplier)",
        loadControllerAlert: "CS02g future-dated alert",
    ]

    /// Whether a code is one of CS02b's.
    public static func isUpdateSecurityCredentials(_ code: UInt16) -> Bool {
        updateSecurityCredentials[code] != nil
    }

    /// The CS02b message code for a replacement mode: `0x0100 + mode` (e.g. `0x0103` for NO by NO).
    public static func updateSecurityCredentials(_ mode: ReplacementMode) -> UInt16 {
        0x0100 + UInt16(mode.rawValue)
    }

    /// `0x0103`-style text.
    public static func hex(_ code: UInt16) -> String {
        "0x" + Hex.byte(UInt8(code >> 8)) + Hex.byte(UInt8(code & 0xFF))
    }

    /// `0x0103 CS02b ...`, or just the hex for codes AnchorDesk does not name.
    public static func describe(_ code: UInt16) -> String {
        (updateSecurityCredentials[code] ?? others[code]).map { hex(code) + " " + $0 } ?? hex(code)
    }
}
