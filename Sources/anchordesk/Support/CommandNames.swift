import AnchorCore
import ArgumentParser

/// The command and service names in the arguments, checked against the command tree before the
/// options are parsed: a mistyped name is then named as such (`unknown service '6.15' (6.15.1,
/// 6.21)`, `unknown command 'devcies': did you mean 'devices'?`), where the parser would first
/// refuse an option the parent command does not take (`Unknown option '--store'`).
enum CommandNames {
    /// Walks the subcommands the arguments name; stops at the first option or at a command
    /// without subcommands, whose own arguments are the parser's.
    /// - Throws: `bad-usage` (exit 2) for a word that names no subcommand.
    static func check(_ arguments: [String], root: any ParsableCommand.Type) throws(CLIFailure) {
        var command = root
        var path: [String] = []
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-"), !(path.isEmpty && word == "help") else { return }
            guard let next = subcommands.first(where: { names(of: $0).contains(word) }) else {
                throw refusal(word, path: path, among: subcommands.map { $0._commandName })
            }
            command = next
            path.append(next._commandName)
        }
    }

    /// A command's name and its aliases.
    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }

    private static func refusal(_ word: String, path: [String], among names: [String]) -> CLIFailure {
        let shown = DisplaySafeText.sanitize(word)
        // Services are numbered (SRV6.15.1, SRV6.21): list them rather than guess.
        if names.allSatisfy({ $0.first?.isNumber == true }) {
            return .badInput("unknown service '\(shown)' (\(names.joined(separator: ", ")))", code: "bad-usage")
        }
        let prefix = path.map { $0 + " " }.joined()
        let guess = NameSuggestion.closest(to: word, among: names).map { ": did you mean '\(prefix)\($0)'?" } ?? ""
        let help = (["anchordesk", "help"] + path).joined(separator: " ")
        return .badInput("unknown command '\(prefix)\(shown)'\(guess) (see '\(help)')", code: "bad-usage")
    }
}
