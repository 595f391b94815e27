/// A device filter, as typed after `--filter` or `/` in the console.
///
/// Space-separated terms, all of which must match: `no=ORG` (who owns the Network Operator
/// cell's certificate), `supplier=ORG`, `type=GPF`, `counter` (a recorded counter exists),
/// and free text matched against device IDs (hyphens and case ignored).
public struct DeviceFilter: Hashable, Sendable {
    /// One condition.
    public enum Term: Hashable, Sendable {
        case networkOperator(String)
        case supplier(String)
        case type(DeviceType)
        case hasRecordedCounter
        case idContains(String)
    }

    /// The conditions, all of which must hold.
    public var terms: [Term]

    /// The filter that matches every device.
    public static let all = DeviceFilter(terms: [])

    /// Creates a filter from terms.
    public init(terms: [Term]) {
        self.terms = terms
    }

    /// The most terms a filter takes: far more than anyone types, and few enough that every
    /// backend answers it as one query.
    public static let maximumTerms = 64

    /// Parses a filter expression.
    /// - Throws: ``RequestError/invalidRequest(_:)`` naming the term it could not read, or
    ///   saying there are more than ``maximumTerms``.
    public init(parsing expression: String) throws(RequestError) {
        var terms: [Term] = []
        let words = expression.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count <= Self.maximumTerms else {
            throw .invalidRequest("a filter takes at most \(Self.maximumTerms) terms (this one has \(words.count))")
        }
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 {
                let value = String(parts[1])
                guard !value.isEmpty else { throw .invalidRequest("filter term '\(word)' has no value") }
                switch parts[0].lowercased() {
                case "no": terms.append(.networkOperator(value))
                case "supplier": terms.append(.supplier(value))
                case "type":
                    guard let type = DeviceType(rawValue: value.uppercased()) else {
                        throw .invalidRequest("unknown device type '\(value)' (GPF, ESME, GSME, CHF)")
                    }
                    terms.append(.type(type))
                default:
                    throw .invalidRequest("unknown filter key '\(parts[0])' (use no=, supplier=, type=, counter or text)")
                }
            } else if word.lowercased() == "counter" {
                terms.append(.hasRecordedCounter)
            } else {
                let digits = word.filter { $0 != "-" }.uppercased()
                guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else {
                    throw .invalidRequest("filter text '\(word)' is not part of a device ID (hex digits and hyphens)")
                }
                terms.append(.idContains(digits))
            }
        }
        self.terms = terms
    }

    /// Whether a device matches every term.
    public func matches(_ device: Device, in ledger: Ledger) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .networkOperator(let organisation):
                device.cells[.networkOperatorDS].flatMap { ledger.certificate($0)?.owner } == organisation
            case .supplier(let organisation):
                device.supplier == organisation
            case .type(let type):
                device.type == type
            case .hasRecordedCounter:
                ledger.recordedCounters[device.id] != nil
            case .idContains(let digits):
                device.id.hexDigitsContain(digits)
            }
        }
    }
}

extension DeviceFilter {
    /// The filter as typed: ``init(parsing:)`` reads it back as the same terms.
    public var expression: String {
        terms.map { term in
            switch term {
            case .networkOperator(let organisation): "no=" + organisation
            case .supplier(let organisation): "supplier=" + organisation
            case .type(let type): "type=" + type.rawValue
            case .hasRecordedCounter: "counter"
            case .idContains(let digits): digits
            }
        }.joined(separator: " ")
    }
}
