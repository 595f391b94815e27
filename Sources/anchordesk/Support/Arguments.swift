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

    /// An execution time, `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    static func time(_ text: String, option: String) throws(CLIFailure) -> Timestamp {
        guard text.utf8.count == 20, let time = Timestamp(iso8601: text) else {
            throw .badInput("\(option) '\(DisplaySafeText.sanitize(text))' is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC)", code: "bad-time")
        }
        return time
    }

    /// How an SRV6.15.1 is to execute: `--execute-at TIME`, `--cancel-scheduled`, or at once.
    static func execution(executeAt: String?, cancel: Bool) throws(CLIFailure) -> CommandExecution {
        switch (executeAt, cancel) {
        case (let text?, false): .at(try time(text, option: "--execute-at"))
        case (nil, true): .cancelScheduled
        case (nil, false): .immediate
        case (_?, true): throw .badInput("give --execute-at or --cancel-scheduled, not both")
        }
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

    /// Refuses a filter naming an organisation the store does not hold (`unknown-org`, with
    /// the store's nearest name), which would otherwise match nothing without a word.
    static func checkNames(_ filter: DeviceFilter, in ledger: Ledger) throws(CLIFailure) {
        do {
            try filter.checkNames(in: ledger)
        } catch {
            throw CLIFailure(error)
        }
    }

    /// The organisation `id` names (`--as`, `--org`, `org show ORG`…).
    /// - Throws: `unknown-org` with the store's nearest name.
    static func organisation(_ id: String, in ledger: Ledger) throws(CLIFailure) -> Organisation {
        do {
            return try ledger.existingOrganisation(id)
        } catch {
            throw CLIFailure(error)
        }
    }

    /// The device `id` names in `estate`.
    /// - Throws: `unknown-device`, with a device one slip away if the estate holds one.
    static func device(_ id: EUI64, in estate: Estate) throws(CLIFailure) -> Device {
        guard let device = estate.devices[id] else {
            throw CLIFailure(RequestError.unknownDevice(id.description, suggestion: estate.devices.nearMiss(of: id)?.description))
        }
        return device
    }

    /// The certificates a `--cert` value names (``AnchorCore/Ledger/resolveCertificates(_:)``).
    /// - Throws: `unknown-certificate` with the store's nearest name.
    static func certificates(_ specification: String, in ledger: Ledger) throws(CLIFailure) -> [String] {
        do {
            return try ledger.resolveCertificates(specification)
        } catch {
            throw CLIFailure(error)
        }
    }
}
