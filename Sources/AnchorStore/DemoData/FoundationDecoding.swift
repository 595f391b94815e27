import AnchorCore
import Foundation

/// Foundation's `Codable` decoding for the small, hand-edited demo-data files, where
/// readable errors matter more than speed. The store's own files use ``SnapshotCodec``
/// and ``ChangeRecordCoding``.
enum FoundationDecoding {
    /// Decodes a value, turning any failure into a one-line error with the JSON path.
    static func decode<Value: Decodable>(
        _ type: Value.Type, from bytes: some Collection<UInt8>, path: String, code: StoreError.Code = .corrupt
    ) throws(StoreError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw StoreError(code: code, message: DecodingFailure.describe(error), path: path)
        } catch {
            throw StoreError(code: code, message: "not valid JSON: \(error)", path: path)
        }
    }
}

/// Turns Foundation's decoding errors into one line naming the JSON path.
enum DecodingFailure {
    /// `devices[3].cells.networkOperatorDS: expected a string` and the like.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            "\(jsonPath(context.codingPath)): expected \(jsonKind(type))"
        case .valueNotFound(let type, let context):
            "\(jsonPath(context.codingPath)): expected \(jsonKind(type)), found null"
        case .keyNotFound(let key, let context):
            "\(jsonPath(context.codingPath + [key])): required key is missing"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
                : "\(jsonPath(context.codingPath)): \(plain(context.debugDescription))"
        @unknown default:
            "\(error)"
        }
    }

    /// A Swift type named as the JSON a file should hold there.
    static func jsonKind(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "an array" }
        if name == "String" { return "a string" }
        if name == "Bool" { return "true or false" }
        if name.hasPrefix("Int") || name.hasPrefix("UInt") { return "a whole number" }
        if name == "Double" || name == "Float" { return "a number" }
        return "a value of type \(name)"
    }

    /// Foundation's "Cannot initialize RequestOutcome from invalid String value maybe" as
    /// "'maybe' is not one of the allowed values"; other descriptions as they are.
    static func plain(_ description: String) -> String {
        guard description.hasPrefix("Cannot initialize "), let range = description.range(of: " value ", options: .backwards) else {
            return description
        }
        return "'\(DisplaySafeText.sanitize(String(description[range.upperBound...])))' is not one of the allowed values"
    }

    /// A coding path written as `devices[3].cells.root`.
    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue { path += "[\(index)]" } else { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return path.isEmpty ? "(document)" : path
    }
}
