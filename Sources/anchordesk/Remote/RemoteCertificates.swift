import AnchorCore
import DUISServer
import Foundation
import OperatorClient
import SMKI

/// Certificates read from a DSP's operator API: a device's, as its Device CA issues them (`cert
/// show ID --usage`, the console's certificates page), and whether a device is the DSP's.
enum RemoteCertificates {
    /// The device's DS and KA certificates.
    static func device(_ id: EUI64, through connection: OperatorConnection) throws(CLIFailure) -> [KeyUsage: OrganisationCertificate] {
        let reply: OperatorReplies.DeviceCertificates = try OperatorCall.json(
            connection.get(OperatorAPIPath.devices + "/" + id.description + "/certificates"), from: connection)
        var certificates: [KeyUsage: OrganisationCertificate] = [:]
        for (usage, base64) in [(KeyUsage.digitalSigning, reply.digitalSigning), (.keyAgreement, reply.keyAgreement)] {
            certificates[usage] = try OperatorCall.certificate(base64, from: connection, what: "its \(usage.rawValue) certificate of \(id)")
        }
        return certificates
    }

    /// Whether the DSP has the device.
    static func holds(_ id: EUI64, through connection: OperatorConnection) -> Bool {
        (try? OperatorCall.json(connection.get(OperatorAPIPath.devices + "/" + id.description), from: connection) as DeviceView) != nil
    }
}
