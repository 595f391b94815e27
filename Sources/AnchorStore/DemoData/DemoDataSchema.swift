import AnchorCore

/// The keys each demo-data object may have. Foundation's decoder ignores keys it does not
/// know, which would let a misspelt field (`"dccuser": false`) pass silently; this check
/// refuses them with the JSON path.
enum DemoDataSchema {
    private static let organisation: Set<String> = ["id", "name", "role", "entityId", "dccUser", "subscribed", "lastCounter"]
    private static let certificate: Set<String> = ["id", "owner", "keyUsage", "inRepository", "revoked"]
    private static let device: Set<String> = ["id", "type", "supplier", "commissionedAt", "commissionedHoursBeforeInit", "cells", "floors"]
    private static let request: Set<String> = [
        "requestId", "service", "device", "requester", "originator", "originatorCounter", "outcome", "reason", "detail",
        "recordedCounter", "deviceFloor", "generatedCounter", "storedCounter", "legacyCounters", "certificates", "at", "recovery",
    ]
    private static let recordedCounter: Set<String> = ["device", "at", "requestId", "service", "counter"]
    private static let cells = Set(TrustAnchorCell.allCases.map(\.rawValue))
    private static let floors = Set(OrganisationRole.allCases.map(\.rawValue))

    /// Throws `.invalidArgument` naming the first unknown key's JSON path.
    static func check(_ bytes: [UInt8], file: String, path: String) throws(StoreError) {
        let document: JSONNode
        do {
            document = try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
                var reader = JSONReader(buffer)
                let node = try reader.readValue()
                try reader.expectEnd()
                return node
            }
        } catch {
            throw StoreError.invalidArgument("not valid JSON: \(error.description)", path: path)
        }
        let lists: [String: Set<String>] = switch file {
        case "organisations.json": ["organisations": organisation]
        case "certificates.json": ["certificates": certificate]
        case "history.json": ["requests": request, "counterHistory": recordedCounter]
        default: ["devices": device]
        }
        guard case .object(let top) = document else { return }
        for (listKey, value) in top {
            guard let allowed = lists[listKey] else { throw unknown(listKey, at: listKey, path: path) }
            guard case .array(let elements) = value else { continue }
            for (index, element) in elements.enumerated() {
                guard case .object(let members) = element else { continue }
                for (member, nested) in members {
                    let location = "\(listKey)[\(index)].\(DisplaySafeText.sanitize(member))"
                    guard allowed.contains(member) else { throw unknown(member, at: location, path: path) }
                    guard listKey == "devices", member == "cells" || member == "floors", case .object(let inner) = nested else { continue }
                    for (innerKey, _) in inner where !(member == "cells" ? cells : floors).contains(innerKey) {
                        throw unknown(innerKey, at: "\(location).\(DisplaySafeText.sanitize(innerKey))", path: path)
                    }
                }
            }
        }
    }

    private static func unknown(_ key: String, at location: String, path: String) -> StoreError {
        StoreError.invalidArgument("\(location): unknown field '\(DisplaySafeText.sanitize(key))'", path: path)
    }
}
