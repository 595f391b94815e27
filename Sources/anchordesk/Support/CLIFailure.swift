import AnchorCore
import AnchorService
import AnchorStore

/// Why a command stopped, with the contract's exit code and reason code.
struct CLIFailure: Error {
    /// The contract's exit codes.
    enum ExitCode: Int32 {
        case rejected = 1
        case badInput = 2
        case storeUnusable = 3
        case internalError = 4
    }

    var exitCode: ExitCode
    var code: String
    var message: String
    /// Extra members for the `--json` error object (for example where an audit check failed).
    var details: [(String, JSONValue)] = []
    /// Whether the command already printed what happened (a logged rejection prints its request document).
    var printedItsOwnReport: Bool

    static func badInput(_ message: String, code: String = "bad-input") -> CLIFailure {
        CLIFailure(exitCode: .badInput, code: code, message: message)
    }

    init(exitCode: ExitCode, code: String, message: String, details: [(String, JSONValue)] = []) {
        self.exitCode = exitCode
        self.code = code
        self.message = message
        self.details = details
        printedItsOwnReport = exitCode == .rejected
    }

    /// Bad input; an unknown name's "did you mean" is also the `--json` error's `suggestion`.
    init(_ error: RequestError) {
        self.init(exitCode: .badInput, code: error.code, message: error.description,
                  details: error.suggestion.map { [("suggestion", .string($0))] } ?? [])
    }

    init(_ error: StoreError) {
        switch error.code {
        case .invalidArgument, .alreadyExists:
            self.init(exitCode: .badInput, code: "store-\(error.code.rawValue)", message: error.description)
        case .notAuthorised:
            self.init(exitCode: .rejected, code: "not-authorised", message: error.description)
            printedItsOwnReport = false
        default:
            self.init(exitCode: .storeUnusable, code: "store-\(error.code.rawValue)", message: error.description)
        }
    }

    init(_ error: ServiceError) {
        switch error {
        case .request(let error): self.init(error)
        case .store(let error): self.init(error)
        case .missingUserKey: self.init(exitCode: .badInput, code: "no-user-key", message: error.description)
        case .notAcknowledged(let underlying, let device):
            self.init(underlying)
            message = "\(error.description); once the store is usable again, 'anchordesk requests --device \(device)' shows whether it reached the disk"
        case .badEnvironment(let why): self.init(exitCode: .badInput, code: "bad-input", message: why)
        }
    }
}
