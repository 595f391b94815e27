import Foundation

/// Who may use the operator API and for whom, kept by the DSP (`serve --operator-grants FILE`):
/// each operator is named by its TLS client certificate's subject, as swift-certificates writes
/// a distinguished name (`CN=cadent,O=AnchorDesk demo operators`).
public struct OperatorGrants: Codable, Equatable, Sendable {
    /// One operator's grant.
    public struct Grant: Codable, Equatable, Sendable {
        /// The client certificate's subject.
        public var subject: String
        /// The organisations the operator may act for (as a User signs, or in the DCC's name).
        public var organisations: [String]
        /// Whether the operator may take the DCC's own actions (Recovery Events, organisation lifecycle).
        public var dcc: Bool

        /// A grant.
        public init(subject: String, organisations: [String], dcc: Bool = false) {
            self.subject = subject
            self.organisations = organisations
            self.dcc = dcc
        }
    }

    /// Every operator the DSP knows.
    public var operators: [Grant]

    /// Grants for these operators.
    public init(operators: [Grant]) {
        self.operators = operators
    }

    /// The grant of the operator whose certificate has `subject`; `nil`: not an operator.
    ///
    /// Subjects are compared byte for byte (UTF-8), not with `String`'s `==`, which is Unicode
    /// canonical equivalence: there "\u{212A}estrel" (KELVIN SIGN) equals "Kestrel", and a
    /// certificate issued to the look-alike name would get the other operator's grant.
    public func grant(forSubject subject: String) -> Grant? {
        operators.first { $0.subject.utf8.elementsEqual(subject.utf8) }
    }

    /// The grants in a file. Refused when it is not JSON of this shape.
    public static func read(path: String) throws(StoreError) -> OperatorGrants {
        let bytes = try AtomicFile.read(path: path)
        do {
            return try JSONDecoder().decode(OperatorGrants.self, from: Data(bytes))
        } catch {
            throw StoreError.invalidArgument(
                "not an operator grants file ({\"operators\": [{\"subject\", \"organisations\", \"dcc\"}]})", path: path)
        }
    }

    /// Writes the grants to `path` atomically.
    public func write(to path: String) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { throw StoreError.invalidArgument("the operator grants could not be written as JSON", path: path) }
        try AtomicFile.write(Array(data) + [0x0A], to: path)
    }
}
