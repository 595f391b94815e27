import Foundation

/// An `sr:Response` as DUIS schema V5.4 lays it out: Header (RequestID, ResponseID?,
/// ResponseCode, ResponseDateTime), then Body/ResponseMessage with the service reference and,
/// when there is one, a pre-command or a GBCS payload. ``xml`` is unsigned; the DSP signs it.
public struct DUISResponse: Sendable, Equatable {
    /// What the ResponseMessage carries after the service reference.
    public enum Payload: Sendable, Equatable {
        /// Nothing (an acknowledgement or an error).
        case none
        /// `PreCommand/{GBCSVersion, GBCSPayload}`: the CommandVariant 4 answer.
        case preCommand(gbcsVersion: String, gbcs: [UInt8])
        /// `GBCSPayload`: a device's response.
        case gbcs([UInt8])
    }

    /// The request's ID as the User sent it.
    public var requestID: String
    /// A device response's ID (target and originator swapped), when the response is the device's.
    public var responseID: String?
    /// The code.
    public var code: DUISResponseCode
    /// When it was made (UTC).
    public var dateTime: Date
    /// `ServiceReference`.
    public var serviceReference: String
    /// `ServiceReferenceVariant`.
    public var serviceReferenceVariant: String
    /// The payload.
    public var payload: Payload

    /// A response.
    public init(
        requestID: String, responseID: String? = nil, code: DUISResponseCode, dateTime: Date, serviceReference: String,
        serviceReferenceVariant: String, payload: Payload = .none
    ) {
        self.requestID = requestID
        self.responseID = responseID
        self.code = code
        self.dateTime = dateTime
        self.serviceReference = serviceReference
        self.serviceReferenceVariant = serviceReferenceVariant
        self.payload = payload
    }

    /// The unsigned document, on one line as DCC Boxed writes its responses.
    public var xml: [UInt8] {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        text += "<sr:Response xmlns:sr=\"\(DUISSchema.namespace)\" schemaVersion=\"\(DUISSchema.responseVersion)\"><sr:Header>"
        text += element("RequestID", requestID)
        if let responseID { text += element("ResponseID", responseID) }
        text += element("ResponseCode", code.rawValue) + element("ResponseDateTime", DUISResponse.dateText(dateTime))
        text += "</sr:Header><sr:Body><sr:ResponseMessage>"
        text += element("ServiceReference", serviceReference) + element("ServiceReferenceVariant", serviceReferenceVariant)
        switch payload {
        case .none: break
        case .preCommand(let version, let gbcs):
            text += "<sr:PreCommand>" + element("GBCSVersion", version) + element("GBCSPayload", Data(gbcs).base64EncodedString()) + "</sr:PreCommand>"
        case .gbcs(let gbcs):
            text += element("GBCSPayload", Data(gbcs).base64EncodedString())
        }
        text += "</sr:ResponseMessage></sr:Body></sr:Response>"
        return Array(text.utf8)
    }

    private func element(_ name: String, _ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return "<sr:\(name)>\(escaped)</sr:\(name)>"
    }

    /// `2022-08-12T06:43:49.844Z`: xs:dateTime in UTC with milliseconds, as DCC Boxed writes it.
    static func dateText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
