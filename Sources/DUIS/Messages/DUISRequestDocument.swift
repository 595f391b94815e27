import AnchorCore
import Foundation

/// Unsigned DUIS requests for the services AnchorDesk answers, laid out as DCC's templates lay
/// them out (`SmartDCCInnovation/duis-templates`), for Users' tooling, tests and benchmarks.
public enum DUISRequestDocument {
    /// The replacement certificates and path a 6.15.1 or 6.21 body carries.
    public struct Certificates: Sendable {
        /// The Digital Signing certificate (DER).
        public var digitalSigning: [UInt8]
        /// The Key Agreement certificate (DER), if any.
        public var keyAgreement: [UInt8]?
        /// The certification path (DER), 1 to 3 certificates.
        public var path: [[UInt8]]

        /// Certificates for a body.
        public init(digitalSigning: [UInt8], keyAgreement: [UInt8]?, path: [[UInt8]]) {
            self.digitalSigning = digitalSigning
            self.keyAgreement = keyAgreement
            self.path = path
        }
    }

    /// SRV6.15.1, CommandVariant 4, Remote Party Role NetworkOperator.
    public static func updateSecurityCredentials(
        requestID: DUISRequestID, floor: UInt64?, certificates: Certificates, applyTimeBasedChecks: Bool = true,
        execution: CommandExecution = .immediate
    ) -> [UInt8] {
        document(requestID: requestID, commandVariant: 4, reference: ("6.15", "6.15.1"), body:
            "<sr:UpdateSecurityCredentialsKRP>" + executionDateTime(execution) + "<sr:RemotePartyRole>NetworkOperator</sr:RemotePartyRole>"
            + (floor.map { "<sr:RemotePartyFloorSeqNumber>\($0)</sr:RemotePartyFloorSeqNumber>" } ?? "")
            + "<sr:ReplacementCertificates><sr:SupplierOrNetworkOperatorCertificates>" + replacements(certificates)
            + "</sr:SupplierOrNetworkOperatorCertificates></sr:ReplacementCertificates>" + rest(certificates, applyTimeBasedChecks)
            + "</sr:UpdateSecurityCredentialsKRP>")
    }

    /// SRV6.21, CommandVariant 1, Remote Party Role NetworkOperator.
    public static func requestHandover(
        requestID: DUISRequestID, certificates: Certificates, applyTimeBasedChecks: Bool = true
    ) -> [UInt8] {
        document(requestID: requestID, commandVariant: 1, reference: ("6.21", "6.21"), body:
            "<sr:RequestHandoverOfDCCControlledDevice><sr:RemotePartyRole>NetworkOperator</sr:RemotePartyRole>"
            + "<sr:RemotePartyFloorSeqNumber>0</sr:RemotePartyFloorSeqNumber>"
            + "<sr:ReplacementCertificates>" + replacements(certificates) + "</sr:ReplacementCertificates>"
            + rest(certificates, applyTimeBasedChecks) + "</sr:RequestHandoverOfDCCControlledDevice>")
    }

    /// SRV6.15.1, CommandVariant 5: the pre-command the User signed, under the same Request ID.
    public static func signedPreCommand(requestID: DUISRequestID, gbcs: [UInt8]) -> [UInt8] {
        document(requestID: requestID, commandVariant: 5, reference: ("6.15", "6.15.1"), body:
            "<sr:SignedPreCommand><sr:GBCSPayload>\(Data(gbcs).base64EncodedString())</sr:GBCSPayload></sr:SignedPreCommand>")
    }

    /// `ExecutionDateTime`, first in a future-dated body (DUIS's FutureDatedAbstractType); none
    /// for a command executed on receipt.
    private static func executionDateTime(_ execution: CommandExecution) -> String {
        switch execution {
        case .immediate: ""
        case .at(let time): "<sr:ExecutionDateTime>\(time)</sr:ExecutionDateTime>"
        case .cancelScheduled: "<sr:ExecutionDateTime>\(DUISRequest.cancellationDate)</sr:ExecutionDateTime>"
        }
    }

    private static func replacements(_ certificates: Certificates) -> String {
        "<sr:DigitalSigningCertificate>\(Data(certificates.digitalSigning).base64EncodedString())</sr:DigitalSigningCertificate>"
            + (certificates.keyAgreement.map { "<sr:KeyAgreementCertificate>\(Data($0).base64EncodedString())</sr:KeyAgreementCertificate>" } ?? "")
    }

    private static func rest(_ certificates: Certificates, _ apply: Bool) -> String {
        "<sr:CertificationPathCertificates>"
            + certificates.path.map { "<sr:Certificate>\(Data($0).base64EncodedString())</sr:Certificate>" }.joined()
            + "</sr:CertificationPathCertificates><sr:ApplyTimeBasedCPVChecks>\(apply)</sr:ApplyTimeBasedCPVChecks>"
    }

    private static func document(requestID: DUISRequestID, commandVariant: Int, reference: (String, String), body: String) -> [UInt8] {
        Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<sr:Request xmlns:sr=\"\(DUISSchema.namespace)\" schemaVersion=\"\(DUISSchema.responseVersion)\"><sr:Header>"
            + "<sr:RequestID>\(requestID)</sr:RequestID><sr:CommandVariant>\(commandVariant)</sr:CommandVariant>"
            + "<sr:ServiceReference>\(reference.0)</sr:ServiceReference><sr:ServiceReferenceVariant>\(reference.1)</sr:ServiceReferenceVariant>"
            + "</sr:Header><sr:Body>\(body)</sr:Body></sr:Request>").utf8)
    }
}
