/// The fields a decode found, kept only when someone will read them.
///
/// `--show-wire` and `gbcs decode` want every field with its meaning in words; the device and
/// the engine decode thousands of messages a second and want none, so the descriptions
/// (built from hex strings) are made only while recording.
public struct WireFieldLog: Sendable {
    /// Whether fields are kept.
    public let isRecording: Bool
    /// The fields kept so far, in message order.
    public private(set) var fields: [WireField] = []

    /// A log that keeps fields, or not.
    public init(recording: Bool) {
        isRecording = recording
    }

    /// Keeps a field, building it only when recording.
    public mutating func append(_ field: @autoclosure () -> WireField) {
        if isRecording { fields.append(field()) }
    }

    /// Sets the meaning of the field kept last, when recording.
    public mutating func describeLast(_ meaning: @autoclosure () -> String) {
        if isRecording, !fields.isEmpty { fields[fields.count - 1].meaning = meaning() }
    }

    /// Keeps another log's fields after these.
    public mutating func append(contentsOf other: WireFieldLog) {
        fields += other.fields
    }
}
