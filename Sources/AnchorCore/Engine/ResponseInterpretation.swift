/// What the engine concludes from a device's answer: the only source of its knowledge.
struct ResponseInterpretation {
    var outcome: RequestOutcome
    var reason: RejectionReason?
    var detail: String
    var reportedFloor: OriginatorCounter?
    var networkOperatorSigningHolder: CertificateSubject?
    /// The device acknowledged the command without an outcome (right only for a future-dated one or a cancellation).
    var accepted = false

    init(_ response: DeviceResponse?, counter: OriginatorCounter) {
        switch response {
        case nil:
            self.init(.rejected, .noResponse, "the device did not answer")
        case .refused(.antiReplay):
            self.init(.rejected, .antiReplay,
                      "the device refused counter \(counter): not greater than its Network Operator floor")
        case .refused(.authorisation):
            self.init(.rejected, .notAuthorised,
                      "the device refused the command: its authorising cell does not hold the signer's certificate")
        case .refused(.authentication):
            self.init(.rejected, .notAuthorised,
                      "the device refused the command: its signature does not verify against the certificate in the authorising cell")
        case .refused(.malformed):
            self.init(.rejected, .deviceError, "the device could not read the command")
        case .refused(.integrity):
            self.init(.rejected, .deviceError, "the device discarded the command: its MAC does not verify")
        case .accepted:
            self.init(.rejected, .deviceError, "the device accepted the command without executing it")
            accepted = true
        case .unverified(let why):
            self.init(.rejected, .unverifiedResponse, "the answer was not trusted: \(why); nothing was recorded")
        case .executed(let body):
            let failures = body.results.filter { $0.status != .success }
            if let failure = failures.first {
                let reason: RejectionReason = failure.status == .badCertificate ? .badCertificate : .deviceError
                self.init(.rejected, reason,
                          "the device reported status \(failure.status.rawValue) (\(failure.status)) for \(failure.targetCell.rawValue)")
            } else {
                self.init(.succeeded, nil, "the device replaced \(body.results.count) certificate(s)")
            }
            reportedFloor = body.floorChanges[.networkOperator]
            networkOperatorSigningHolder = body.holder(of: .networkOperatorDS)
        }
    }

    private init(_ outcome: RequestOutcome, _ reason: RejectionReason?, _ detail: String) {
        self.outcome = outcome
        self.reason = reason
        self.detail = detail
    }
}
