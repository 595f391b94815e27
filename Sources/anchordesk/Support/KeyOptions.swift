import ArgumentParser
import Foundation

/// `--keys DIR`: where the Users' own private keys are, for commands that sign `--as` a User.
struct KeyOptions: ParsableArguments {
    @Option(help: "A User key directory (<entity-id>-ds.key as in DCC's keystores, -xml.key for DUIS); default $ANCHORDESK_KEYS, else a demo store's own.")
    var keys: String?

    /// The directory named for this run, if any.
    var directory: String? {
        keys ?? KeyOptions.environmentDirectory
    }

    /// `$ANCHORDESK_KEYS`, for commands without `--keys`.
    static var environmentDirectory: String? {
        ProcessInfo.processInfo.environment["ANCHORDESK_KEYS"]
    }
}
