import AnchorCore
import Foundation

/// A DUIS `sr:Request` for one of the services AnchorDesk answers, read from a document whose
/// signature has been checked. Element names and order are DUIS schema V5.4's.
public struct DUISRequest: Sendable {
    /// What the body asks for.
    public enum Body: Sendable {
        /// `UpdateSecurityCredentialsKRP` (SRV6.15.1, CommandVariant 4).
        case updateSecurityCredentials(CredentialsReplacement)
        /// `RequestHandoverOfDCCControlledDevice` (SRV6.21, CommandVariant 1).
        case requestHandover(CredentialsReplacement)
        /// `SignedPreCommand` (CommandVariant 5): the GBCS command the User signed.
        case signedPreCommand(gbcs: [UInt8], execution: CommandExecution)
    }

    /// The `schemaVersion` attribute.
    public var schemaVersion: String
    /// `Header/RequestID`.
    public var requestID: DUISRequestID
    /// `Header/CommandVariant`.
    public var commandVariant: Int
    /// `Header/ServiceReference` (`6.15`, `6.21`).
    public var serviceReference: String
    /// `Header/ServiceReferenceVariant` (`6.15.1`, `6.21`).
    public var serviceReferenceVariant: String
    /// The body.
    public var body: Body

    /// Reads a request.
    /// - Throws: ``DUISRequestError``: `.invalid` for what the schema would refuse, `.unsupported`
    ///   for a well-formed request of a service AnchorDesk does not offer.
    public init(_ document: ParsedXML) throws(DUISRequestError) {
        let sr = DUISSchema.namespace
        guard let root = document.root, root.localName == "Request", root.namespaceURI == sr else {
            throw .invalid("the root element is not sr:Request")
        }
        guard let version = root.attribute("schemaVersion") else { throw .invalid("sr:Request has no schemaVersion") }
        guard DUISSchema.acceptedVersions.contains(version) else {
            throw .invalid("schemaVersion \(version) is not read here; send one of \(DUISSchema.acceptedVersions.sorted().joined(separator: ", "))")
        }
        schemaVersion = version
        let header = try DUISRequest.required("Header", in: root)
        let idText = try DUISRequest.required("RequestID", in: header).text
        guard let requestID = DUISRequestID(idText) else {
            throw .invalid("RequestID '\(DUISRequest.shown(idText))' is not originator:target:counter (EUI-64s as 8 hyphenated hex pairs, a decimal counter)")
        }
        self.requestID = requestID
        let variantText = try DUISRequest.required("CommandVariant", in: header).text
        guard let variant = Int(variantText), (1...8).contains(variant) else {
            throw .invalid("CommandVariant '\(DUISRequest.shown(variantText))' is not 1 to 8")
        }
        commandVariant = variant
        serviceReference = try DUISRequest.required("ServiceReference", in: header).text
        serviceReferenceVariant = try DUISRequest.required("ServiceReferenceVariant", in: header).text
        let bodyElement = try DUISRequest.required("Body", in: root)
        guard let content = bodyElement.children.first, bodyElement.children.count == 1, content.namespaceURI == sr else {
            throw .invalid("sr:Body must hold exactly one sr: element")
        }
        switch content.localName {
        case "UpdateSecurityCredentialsKRP": body = .updateSecurityCredentials(try CredentialsReplacement(content, wrapped: true))
        case "RequestHandoverOfDCCControlledDevice": body = .requestHandover(try CredentialsReplacement(content, wrapped: false))
        case "SignedPreCommand":
            let payload = try DUISRequest.required("GBCSPayload", in: content).text
            guard let gbcs = Data(base64Encoded: payload.trimmedBase64), !gbcs.isEmpty else {
                throw .invalid("SignedPreCommand/GBCSPayload is not base64")
            }
            body = .signedPreCommand(gbcs: Array(gbcs), execution: try DUISRequest.execution(in: content))
        default:
            throw .unsupported("\(DUISRequest.shown(content.localName)) is not a service AnchorDesk offers (it answers SRV6.15.1 and SRV6.21)")
        }
    }

    static func required(_ name: String, in element: XMLElement) throws(DUISRequestError) -> XMLElement {
        guard let child = element.child(name, in: DUISSchema.namespace) else {
            throw .invalid("sr:\(element.localName) has no sr:\(name)")
        }
        return child
    }

    /// `ExecutionDateTime`, if present: a time, or DUIS's cancellation date (3000-12-31 and later).
    static func execution(in element: XMLElement) throws(DUISRequestError) -> CommandExecution {
        guard let text = element.child("ExecutionDateTime", in: DUISSchema.namespace)?.text else { return .immediate }
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if let dot = trimmed.firstIndex(of: "."), trimmed.hasSuffix("Z") {
            trimmed = String(trimmed[..<dot]) + "Z"
        }
        guard let time = Timestamp(iso8601: trimmed) else {
            throw .invalid("ExecutionDateTime '\(shown(text))' is not a UTC date-time (YYYY-MM-DDTHH:MM:SSZ)")
        }
        return time >= cancellationDate ? .cancelScheduled : .at(time)
    }

    /// DUIS's ExecutionDateTime that cancels a future-dated command (the templates' `3000-12-31T00:00:00.00Z`).
    public static let cancellationDate = Timestamp(iso8601: "3000-12-31T00:00:00Z")!

    /// Text from a request, cut short and stripped of control characters (escape sequences and
    /// bidirectional overrides included), for a message or a log line.
    public static func shown(_ text: String, limit: Int = 80) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.filter { !DisplaySafeText.isUnsafe($0) }))
        return clean.count > limit ? String(clean.prefix(limit)) + "…" : clean
    }
}

/// The body SRV6.15.1 and SRV6.21 share: the role, the floor, the certificates and the path.
public struct CredentialsReplacement: Sendable {
    /// `ExecutionDateTime`: now, later, or a cancellation.
    public var execution: CommandExecution
    /// `RemotePartyRole` (`NetworkOperator`, `Supplier`, ...).
    public var remotePartyRole: String
    /// `RemotePartyFloorSeqNumber`, if given.
    public var floor: UInt64?
    /// The replacement Digital Signing certificate (DER), if given.
    public var digitalSigning: [UInt8]?
    /// The replacement Key Agreement certificate (DER), if given.
    public var keyAgreement: [UInt8]?
    /// `CertificationPathCertificates` (DER), 1 to 3.
    public var certificationPath: [[UInt8]]
    /// `ApplyTimeBasedCPVChecks`.
    public var applyTimeBasedChecks: Bool

    /// Reads the body; `wrapped` for 6.15.1, whose certificates sit in `SupplierOrNetworkOperatorCertificates`.
    init(_ element: XMLElement, wrapped: Bool) throws(DUISRequestError) {
        let sr = DUISSchema.namespace
        execution = try DUISRequest.execution(in: element)
        remotePartyRole = try DUISRequest.required("RemotePartyRole", in: element).text.trimmingCharacters(in: .whitespaces)
        if let floorText = element.child("RemotePartyFloorSeqNumber", in: sr)?.text {
            guard let value = DUISRequestID.counter(Substring(floorText.trimmingCharacters(in: .whitespaces))), value <= UInt64(Int64.max) else {
                throw .invalid("RemotePartyFloorSeqNumber '\(DUISRequest.shown(floorText))' is not a whole number from 0 to 9223372036854775807")
            }
            floor = value
        }
        var certificates = try DUISRequest.required("ReplacementCertificates", in: element)
        if wrapped { certificates = try DUISRequest.required("SupplierOrNetworkOperatorCertificates", in: certificates) }
        digitalSigning = try CredentialsReplacement.certificate(certificates.child("DigitalSigningCertificate", in: sr))
        keyAgreement = try CredentialsReplacement.certificate(certificates.child("KeyAgreementCertificate", in: sr))
        guard digitalSigning != nil || keyAgreement != nil else { throw .invalid("ReplacementCertificates holds no certificate") }
        let path = try DUISRequest.required("CertificationPathCertificates", in: element).children("Certificate", in: sr)
        guard (1...3).contains(path.count) else { throw .invalid("CertificationPathCertificates must hold 1 to 3 Certificates") }
        certificationPath = try path.map { element throws(DUISRequestError) in try CredentialsReplacement.certificate(element) ?? [] }
        switch try DUISRequest.required("ApplyTimeBasedCPVChecks", in: element).text.trimmingCharacters(in: .whitespaces) {
        case "true", "1": applyTimeBasedChecks = true
        case "false", "0": applyTimeBasedChecks = false
        case let other: throw .invalid("ApplyTimeBasedCPVChecks '\(DUISRequest.shown(other))' is not a boolean")
        }
    }

    private static func certificate(_ element: XMLElement?) throws(DUISRequestError) -> [UInt8]? {
        guard let element else { return nil }
        guard let der = Data(base64Encoded: element.text.trimmedBase64), der.first == 0x30 else {
            throw .invalid("sr:\(element.localName) is not a base64 DER certificate")
        }
        return Array(der)
    }
}

/// Why a document is not a DUIS request AnchorDesk can act on.
public enum DUISRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The schema would refuse it.
    case invalid(String)
    /// It is a request for a service AnchorDesk does not offer.
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalid(let why): "not a valid DUIS request: \(why)"
        case .unsupported(let why): why
        }
    }
}
