import DUIS

/// The operator API's paths.
public enum OperatorAPIPath {
    /// Every path starts with this.
    public static let prefix = "/api/operator/v1"
    /// `GET`: the calling operator's grant.
    public static let whoami = prefix + "/whoami"
    /// `GET ?filter=…&limit=N`: devices as ``OperatorReplies/Devices``; `GET …/devices/ID`: one, as a ``AnchorCore/DeviceView``;
    /// `GET …/devices/ID/history`: its counters and requests, as a ``AnchorCore/DeviceLog``; `GET …/devices/ID/certificates`:
    /// its certificates, as ``OperatorReplies/DeviceCertificates``.
    public static let devices = prefix + "/devices"
    /// `POST` a ``DUISRequestDraft``: the unsigned request for the operator to sign as its User.
    public static let drafts = prefix + "/drafts"
    /// `GET` with an ``OperatorPageQuery``: a page of devices, as ``AnchorStore/DevicePageCodec`` writes it.
    public static let pages = prefix + "/pages"
    /// `GET`: the organisations, their certificates and lifecycle, as ``OperatorReplies/Organisations``.
    public static let organisations = prefix + "/organisations"
    /// `GET`: how many devices hold each organisation's certificates, `{"ORG": N, …}`.
    public static let holdings = prefix + "/holdings"
    /// `GET ?after=TOKEN`: the store's change token, ``OperatorReplies/Change``, once it differs
    /// from `TOKEN` or after about 20 seconds (a long poll: commits are pushed to open consoles).
    public static let changes = prefix + "/changes"
    /// `GET`: the counter-risk report's rows, as ``OperatorReplies/Rows``.
    public static let counterRisk = prefix + "/reports/counter-risk"
    /// `GET ?asOf=YYYY-MM-DDTHH:MM:SSZ`: the post-commissioning report's rows as of then, as ``OperatorReplies/Rows``.
    public static let postCommissioning = prefix + "/reports/post-commissioning"
    /// `POST` an ``OperatorBulk/PlanRequest``: the devices a bulk SRV6.15.1 sends to.
    public static let bulkPlan = prefix + "/bulk/6.15.1/plan"
    /// `POST` an ``OperatorBulk/PrepareRequest``: a group's unsigned pre-commands.
    public static let bulkPrepare = prefix + "/bulk/6.15.1/prepare"
    /// `POST` an ``OperatorBulk/SendRequest``: a group's signed pre-commands, sent and made durable together.
    public static let bulkSend = prefix + "/bulk/6.15.1/send"
    /// `POST` an ``OperatorRecovery/PlanRequest``: the devices a Recovery Event would address (the DCC's actions).
    public static let recoveryPlan = prefix + "/recovery/plan"
    /// `POST` an ``OperatorRecovery/SendRequest``: a group of it, sent and made durable together.
    public static let recoverySend = prefix + "/recovery/send"
    /// `GET`: the audit check, as ``OperatorReplies/Audit``.
    public static let audit = prefix + "/audit"
    /// `GET`: the audit trail as `anchordesk audit export` writes it (JSON Lines), sent as it is read.
    public static let auditExport = prefix + "/audit/export"
    /// `GET`: the schedule log and the alerts that arrived, as ``OperatorReplies/Schedule``.
    public static let schedule = prefix + "/schedule"
    /// `GET`: the whole request log, as ``OperatorReplies/Requests``.
    public static let requests = prefix + "/requests"
    /// `POST` an ``OperatorLifecycle/Request``: an organisation's subscribe, cease or revoke (the DCC's actions).
    public static let lifecycle = prefix + "/lifecycle"

    /// `POST` a signed DUIS request meant for `endpoint` (`…/duis/serviceT`, `…/duis/serviceS`).
    public static func duis(_ endpoint: DUISEndpoint) -> String {
        prefix + "/duis/" + (endpoint.rawValue.split(separator: "/").last.map(String.init) ?? "")
    }
}
