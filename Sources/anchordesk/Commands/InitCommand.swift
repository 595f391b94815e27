import AnchorCore
import AnchorStore
import ArgumentParser
import Foundation

/// `anchordesk init --demo`: creates the store from the bundled demo data.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the store from the bundled demo data.")

    @OptionGroup var options: CommonOptions

    @Flag(help: "Load the bundled demo-data/ (the National Grid → Cadent story).")
    var demo = false

    @Option(help: "Load this folder of demo-style JSON instead of the bundled one.")
    var from: String?

    @Flag(help: "Replace a store that already exists.")
    var force = false

    func run() throws {
        guard demo || from != nil else {
            throw CLIFailure.badInput("say what to load: --demo or --from FOLDER")
        }
        let folder = try from ?? DemoDataFolder.locate()
        let directory = options.storeDirectory
        do {
            let estate = try DemoData.load(from: folder)
            try Store.create(at: directory, with: estate, replacingExisting: force)
            options.emit(.object([
                ("store", .string(directory)),
                ("devices", .integer(estate.devices.count)),
                ("organisations", .integer(estate.ledger.organisations.count)),
            ]), human: { ["created \(directory) from \(folder): \(estate.devices.count) devices, \(estate.ledger.organisations.count) organisations"] })
        } catch {
            throw CLIFailure(error)
        }
    }
}

/// Finds the bundled demo data next to the executable or the working directory.
enum DemoDataFolder {
    static func locate() throws(CLIFailure) -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        guard let folder = DemoData.locate(
            executablePath: executable, workingDirectory: FileManager.default.currentDirectoryPath,
            environment: ProcessInfo.processInfo.environment)
        else {
            throw .badInput("cannot find demo-data/; run from the AnchorDesk checkout or set ANCHORDESK_DEMO_DATA")
        }
        return folder
    }
}
