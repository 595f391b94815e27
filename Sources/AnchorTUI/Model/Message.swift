import AnchorCore
import AnchorService
import AnchorStore

/// Everything the update function reacts to.
public enum Message: Sendable {
    /// A key press.
    case key(Key)
    /// A click, double click or wheel turn.
    case mouse(MouseEvent)
    /// The terminal changed size.
    case resize(Size)
    /// Time passed (about a second): status messages age.
    case tick
    /// The head of a large store was read, to show while the rest is.
    case previewed(StorePreview)
    /// A page of a large store's devices was read from where the store keeps them, to show and
    /// page through while the whole store is read.
    case paged(DevicePage)
    /// A page could not be read.
    case pageFailed(String)
    /// The store was loaded (or could not be).
    case loaded(LoadResult)
    /// Due future-dated commands were let execute on a store shown a page at a time.
    case dueAlertsProcessed(DueAlertsResult)
    /// A launched request finished (processed, or not sent).
    case requestFinished(RequestResult)
    /// The device index for the current estate is ready.
    case indexed(DeviceIndex)
    /// A bulk group is durable: how far the job has got.
    case jobProgress(BulkProgress)
    /// A lifecycle action or Recovery Event finished (or stopped).
    case jobFinished(JobReport)
    /// The per-organisation device counts for the current estate are ready.
    case holdingsCounted(OrganisationHoldings)
    /// The per-organisation device counts could not be read from the database.
    case holdingsFailed(String)
    /// The devices a lifecycle dialog needs were counted in the database (or could not be).
    case lifecycleCounted(OrganisationAction, organisation: String, Result<LifecycleCounts, StoreError>)
    /// A DSP planned the Recovery Event a form describes, for its confirmation (or refused it).
    case recoveryPlanned(RecoveryForm, Result<RecoveryPreview, RequestError>)
    /// A report was built.
    case reportBuilt(ReportSnapshot)
    /// A report read from the database has made this many rows so far.
    case reportProgress(ReportKind, rows: Int)
    /// A report could not be read from the database.
    case reportFailed(ReportKind, String)
    /// `audit verify` ran.
    case auditVerified(AuditSummary)
    /// The signing keys held were set against the certificates (`nil`: they could not be read).
    case signingKeysChecked(SigningKeyCheck?)
    /// A device's certificates were issued for its page (or could not be).
    case deviceCertificatesLoaded(DeviceCertificateRows)
}

/// The store as loaded by the runtime.
public enum LoadResult: Sendable {
    /// The estate, a notice to show (for example that the store was just created), and a
    /// warning (for example a torn journal tail this reader left out), shown until replaced.
    case loaded(Estate, notice: String?, warning: String? = nil)
    /// Why it could not be loaded.
    case failed(String)
}

/// What letting due future-dated commands execute did, on a store shown a page at a time.
public enum DueAlertsResult: Sendable, Equatable {
    /// None was due and no alert waited.
    case nothingDue
    /// Done: what arrived and was processed (`nil`: nothing, another writer got there first).
    case processed(summary: String?)
    /// Not done (another writer held the devices, or the store could not be used).
    case failed(String)
}

/// What became of a launched request.
public enum RequestResult: Sendable {
    /// Processed and made durable: the record and the estate afterwards (`nil`: the console
    /// reads again what it shows).
    case processed(RequestRecord, Estate?)
    /// Not sent: bad input, or the store could not be used.
    case notSent(String)
}

/// Work the runtime does for the update function, feeding results back as messages.
public enum Effect: Hashable, Sendable {
    /// Show the head of a large store, before the first load.
    case preview
    /// Load (or reload) the store read-only; while pages are shown, the page shown is read again.
    case load
    /// Read a page of devices, filtered and sorted (while a large store is paged through).
    case fetchPage(DevicePageStart, DeviceFilter, DeviceSort)
    /// Open the store for writing, evaluate the draft against it, commit, close.
    case submit(RequestDraft)
    /// Build the device index for the loaded estate, after the screen has been drawn.
    case indexDevices
    /// Open the store for writing and run a lifecycle action or Recovery Event, in groups with progress.
    case runJob(StoreJob)
    /// Count the devices holding each organisation's certificates, after drawing (while pages
    /// are shown, from the database's counts).
    case countHoldings
    /// Build a report (`nil` date: now), after drawing (while pages are shown, read from the
    /// database in parts, off the input loop).
    case buildReport(ReportKind, asOf: Timestamp?)
    /// Count in the database the devices an organisation's lifecycle dialog needs (pages shown).
    case countForLifecycle(OrganisationAction, organisation: String)
    /// Ask the DSP to plan the Recovery Event a form describes (a console on its operator API).
    case planRecovery(RecoveryForm)
    /// Check the audit chain from the store's files.
    case verifyAudit
    /// Read which signing keys are held, for the launcher's dry run.
    case checkSigningKeys
    /// Issue a device's DS and KA certificates for its page.
    case loadDeviceCertificates(EUI64)
    /// Put text on the clipboard (OSC 52).
    case copy(String)
    /// Report the mouse to the console, or leave it to the terminal's text selection.
    case setMouse(Bool)
    /// Repaint the whole terminal.
    case redraw
    /// Leave the console, restoring the terminal.
    case quit
}
