/// CS02d Update Device Certificate (message code 0x000B): the command carries the new device
/// certificate, the response one status INTEGER (0 success ... 7).
public enum CS02dPayload {
    static let statusNames: [UInt64: String] = [0: "success"]

    static func readCommand(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> [UInt8] {
        let certificate = try CS02bCommandPayload.readCertificate(&reader, "device certificate", depth: 0, fields: &fields)
        try reader.expectEnd("the content")
        return certificate
    }

    static func readResponse(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> UInt64 {
        let status = try reader.unsigned([0x02, 0x0A], "update device certificate status", depth: 0, fields: &fields, names: statusNames)
        try reader.expectEnd("the content")
        return status
    }
}
