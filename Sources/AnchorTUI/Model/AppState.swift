import AnchorCore

/// Everything the console shows, in one value: the update function changes it, the view draws it.
public struct AppState: Sendable {
    /// The store directory shown in the title bar.
    public var storePath: String
    /// `--read-only`: every action that would write is refused.
    public var readOnly: Bool
    /// Clicks, double clicks and the wheel act on the console (`--no-mouse`, `:mouse off`: the terminal's text selection instead).
    public var mouseEnabled = true
    /// Colour and Unicode, as the terminal allows.
    public var appearance: Appearance
    /// The terminal's size.
    public var size: Size
    /// The loaded estate; `nil` until the first load finishes.
    public var estate: Estate?
    /// While only a preview of a large store is shown (``Message/previewed(_:)``): how many
    /// devices the whole store holds.
    public var previewOf: Int?
    /// While pages of a large store's devices are shown (``Message/paged(_:)``): where the
    /// page shown came from; `nil` once the whole store is read.
    public var paging: PagedDevices?
    /// The index the devices filter uses, kept in step with ``estate``.
    public var deviceIndex: DeviceIndex?
    /// Why the store could not be loaded, if it could not.
    public var loadError: String?
    /// The screens, the current one last. The first is a top-level view.
    public var stack: [Screen] = [.devices]
    /// What is open over the screen.
    public var modal: Modal?
    /// The status line's message.
    public var status: StatusMessage?
    /// SRV6.21 without the recorded-counter rule (shows the failure the change prevents).
    public var legacyCounters = false
    /// The filter expression as typed.
    public var filterText = ""
    /// The parsed filter.
    public var filter: DeviceFilter = .all
    /// The devices table's sort.
    public var sort = DeviceSort()
    /// The devices table's rows (positions into the estate's devices).
    public var deviceRows: [Int32] = []
    /// Selection and scroll of the devices table.
    public var devicesCursor = ListCursor()
    /// Selection and scroll of the request log.
    public var requestsCursor = ListCursor()
    /// Selection and scroll of the organisations table.
    public var organisationsCursor = ListCursor()
    /// Scroll of the device, counter and organisation pages.
    public var pageScroll = 0
    /// Devices holding each organisation's certificates; `nil` until counted for this estate.
    public var holdings: OrganisationHoldings?
    /// Which report the reports view shows.
    public var reportKind: ReportKind = .postCommissioning
    /// The post-commissioning report's date; `nil` means now.
    public var reportAsOf: Timestamp?
    /// The report shown; `nil` until built for this estate.
    public var report: ReportSnapshot?
    /// The report that could not be read from the database: not asked for again until `R` or
    /// the store changes.
    public var reportFailed: ReportKind?
    /// The report being read from the database while pages are shown, as it was asked for:
    /// one read at a time, and its answer is shown only if it still answers what is asked.
    public var reportRead: ReportRead?
    /// Selection and scroll of the report's rows.
    public var reportsCursor = ListCursor()
    /// The reports' filter and sort (the same for both reports).
    public var reportsQuery = ListQuery()
    /// The request log's filter and sort.
    public var requestsQuery = ListQuery()
    /// While the filter prompt is open: the filter shown before it opened, which Esc puts back
    /// (the rows follow the text as it is typed).
    public var filterBeforePrompt: String?
    /// The devices marked with Space on the devices list, for one job on all of them.
    public var marked: Set<EUI64> = []
    /// While the command palette is open: what its text could complete to.
    public var paletteCompletion: PaletteCompletion?
    /// The last `audit verify` result, until the store changes.
    public var audit: AuditSummary?
    /// The signing keys held against the certificates, read as the launcher opens: the dry run
    /// foresees a signature the device would refuse.
    public var signingKeys: SigningKeyCheck?
    /// The certificates of the device whose page was last opened; `nil` until they are issued.
    public var deviceCertificates: DeviceCertificateRows?

    /// A console about to load a store.
    public init(storePath: String, readOnly: Bool = false, appearance: Appearance = Appearance(),
                size: Size = .minimum) {
        self.storePath = storePath
        self.readOnly = readOnly
        self.appearance = appearance
        self.size = size
    }

    /// The current screen.
    public var screen: Screen { stack.last ?? .devices }

    /// The device selected in the devices table.
    public var selectedDevice: Device? {
        guard let estate, devicesCursor.selected < deviceRows.count, devicesCursor.selected >= 0 else { return nil }
        return estate.devices[Int(deviceRows[devicesCursor.selected])]
    }

    /// The device the current screen is about, or the selected one on the devices table.
    public var focusedDeviceID: EUI64? {
        switch screen {
        case .devices: selectedDevice?.id
        case .requests(nil): requestRecord(at: requestsCursor.selected)?.device
        case .organisations, .organisation: nil
        case .reports: selectedReportDevice
        default: screen.device
        }
    }

    /// The organisation selected in the organisations table, or the one the page is about.
    public var selectedOrganisation: Organisation? {
        guard let estate else { return nil }
        if case .organisation(let id) = screen { return estate.ledger.organisation(id) }
        let organisations = estate.ledger.organisations
        guard organisationsCursor.selected >= 0, organisationsCursor.selected < organisations.count else { return nil }
        return organisations[organisationsCursor.selected]
    }
}

/// Where things go on the screen; the update function and the views agree through it.
public enum Layout {
    /// Rows above the body: the title bar and the context line.
    public static let headerRows = 2
    /// Rows below the body: the status line and the key hints.
    public static let footerRows = 2
    /// Rows of the detail pane under the request log and the organisations table.
    public static let detailRows = 7

    /// Rows for the body.
    public static func bodyRows(_ size: Size) -> Int { max(1, size.rows - headerRows - footerRows) }

    /// Data rows of the devices table (the body less its header and the selected device's
    /// line of full names under it).
    public static func devicesViewport(_ size: Size) -> Int { max(1, bodyRows(size) - 2) }

    /// Data rows of a table with a detail pane under it.
    public static func masterViewport(_ size: Size) -> Int { max(1, bodyRows(size) - 1 - detailRows) }
}
