import AnchorCore

/// Parsing of the values users type, with the contract's one-line errors.
enum Arguments {
    /// A device ID with or without hyphens, any case.
    static func deviceID(_ text: String) throws(CLIFailure) -> EUI64 {
        guard let id = EUI64(text) else {
            throw .badInput("'\(DisplaySafeText.sanitize(text))' is not a device ID (16 hex digits, hyphens optional, e.g. 00-DB-12-34-56-78-90-A1)",
                            code: "bad-device-id")
        }
        return id
    }

    /// An Originator Counter: a decimal number from 0 to 18446744073709551615.
    static func counter(_ text: String, option: String) throws(CLIFailure) -> OriginatorCounter {
        guard let counter = OriginatorCounter(decimal: text) else {
            throw .badInput("\(option) '\(DisplaySafeText.sanitize(text))' is not a counter (a whole number from 0 to \(UInt64.max))",
                            code: "bad-counter")
        }
        return counter
    }

    /// A device filter expression.
    static func filter(_ text: String?) throws(CLIFailure) -> DeviceFilter {
        guard let text else { return .all }
        do {
            return try DeviceFilter(parsing: text)
        } catch {
            throw .badInput(DisplaySafeText.sanitize(error.description), code: "bad-filter")
        }
    }
}
