import AnchorCore

/// How a GPF executes CS02b Update Security Credentials.
enum CS02bExecution {
    /// Checks, executes and answers one command, changing the device's cells and floors.
    static func execute(
        _ command: UpdateSecurityCredentialsCommand, on device: inout Device,
        subjects: [String: CertificateSubject]
    ) -> DeviceResponse {
        let role = command.mode.authorisingRole
        // Authorisation: the authorising (DS) cell of the mode's role must hold the signer's certificate.
        guard let authorisingCell = TrustAnchorCell.cell(role: role, keyUsage: .digitalSigning),
              let holderID = device.cells[authorisingCell],
              subjects[holderID]?.entityId == command.originator
        else { return .refused(.authorisation) }
        guard AntiReplay.accepts(command.originatorCounter, floor: device.floors[role]) else {
            return .refused(.antiReplay)
        }
        device.floors[role] = command.originatorCounter

        var results: [CredentialsUpdateResponse.ReplacementResult] = []
        var replacedRoles: Set<OrganisationRole> = []
        for replacement in command.replacements {
            let cell = replacement.targetCell
            let existing = device.cells[cell].flatMap { subjects[$0] }
            let status = status(of: replacement, mode: command.mode)
            if status == .success {
                device.cells[cell] = replacement.certificate.certificateId
                replacedRoles.insert(cell.role)
            }
            results.append(.init(targetCell: cell, status: status, existing: existing, replacing: replacement.certificate))
        }
        var floorChanges: [OrganisationRole: OriginatorCounter] = [:]
        for replaced in replacedRoles {
            device.floors[replaced] = command.newFloor
            floorChanges[replaced] = command.newFloor
        }
        if floorChanges[role] == nil { floorChanges[role] = device.floors[role] }
        return .executed(CredentialsUpdateResponse(
            originatorCounter: command.originatorCounter, results: results, floorChanges: floorChanges))
    }

    /// Whether a replacement fits its cell: key usage must match, and a Network Operator cell
    /// accepts a Network Operator's or the ACB's certificate (GPFs ship with the ACB's there).
    private static func status(
        of replacement: UpdateSecurityCredentialsCommand.Replacement, mode: ReplacementMode
    ) -> CredentialsUpdateStatus {
        let cell = replacement.targetCell
        let certificate = replacement.certificate
        guard certificate.keyUsage == cell.keyUsage else { return .badCertificate }
        switch mode {
        case .networkOperatorByNetworkOperator:
            guard cell.role == .networkOperator else { return .trustAnchorNotFound }
            return [.networkOperator, .acb].contains(certificate.role) ? .success : .badCertificate
        case .anyExceptAbnormalRootByRecovery:
            guard cell.role != .root else { return .trustAnchorNotFound }
            let acceptable: Set<OrganisationRole> = cell.role == .networkOperator ? [.networkOperator, .acb] : [cell.role]
            return acceptable.contains(certificate.role) ? .success : .badCertificate
        default:
            return cell.role == mode.authorisingRole && certificate.role == cell.role ? .success : .badCertificate
        }
    }
}
