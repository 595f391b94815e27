import AnchorCore
import Foundation

/// The DSP's one clock: what every request, alert and report is stamped with.
///
/// `$ANCHORDESK_NOW` (ISO 8601, for reproducible demos and tests) is read once, here, and
/// nowhere else; without it the system clock is read at each call.
public struct ServiceClock: Sendable {
    private let read: @Sendable () -> Timestamp

    /// A clock that reads `read` at each call.
    public init(_ read: @escaping @Sendable () -> Timestamp) {
        self.read = read
    }

    /// The time now.
    public func now() -> Timestamp { read() }

    /// The system clock, to the second.
    public static let system = ServiceClock { Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970)) }

    /// A clock that always says `time`.
    public static func fixed(_ time: Timestamp) -> ServiceClock {
        ServiceClock { time }
    }

    /// The environment variable that fixes the clock.
    public static let environmentVariable = "ANCHORDESK_NOW"

    /// `$ANCHORDESK_NOW` when it is set and not empty, else the system clock.
    /// - Throws: ``ServiceError/badEnvironment(_:)`` when it is set but not `YYYY-MM-DDTHH:MM:SSZ`.
    public static func from(environment: [String: String]) throws(ServiceError) -> ServiceClock {
        guard let text = environment[environmentVariable], !text.isEmpty else { return .system }
        guard let time = Timestamp(iso8601: text) else {
            throw .badEnvironment("\(environmentVariable) '\(DisplaySafeText.sanitize(text))' is not YYYY-MM-DDTHH:MM:SSZ")
        }
        return .fixed(time)
    }
}
