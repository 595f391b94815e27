import AnchorCore

extension DeviceColumn {
    /// The header.
    public var title: String {
        switch self {
        case .id: "DEVICE ID"
        case .type: "TYPE"
        case .supplier: "SUPPLIER"
        case .networkOperator: "NO CELL"
        case .recordedCounter: "REC. COUNTER"
        case .lastRequest: "LAST REQ."
        }
    }
}
