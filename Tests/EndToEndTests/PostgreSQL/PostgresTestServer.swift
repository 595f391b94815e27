import Foundation
import Testing

/// The PostgreSQL server the PostgreSQL tests use: `$ANCHORDESK_TEST_POSTGRES_LOGIN` at
/// 127.0.0.1:5432 (default `anchordesk_test`, the login `.ci/start-postgresql` makes, which may
/// create databases and roles), its password in `$ANCHORDESK_TEST_PGPASSWORD`. Without a
/// server the tests are skipped with a plain note, except under `CI=true`, where they run and fail.
enum PostgresTestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let adminLogin = environment["ANCHORDESK_TEST_POSTGRES_LOGIN"] ?? "anchordesk_test"
    static let adminPassword = environment["ANCHORDESK_TEST_PGPASSWORD"] ?? "try-anchordesk"
    static let host = "127.0.0.1"
    static let port = 5432

    /// Whether the server answers the test login.
    static let isReachable: Bool = psql("select 1").exitCode == 0

    /// Run the tests: a server answers, or this is CI, where a missing server must fail them.
    static var shouldRun: Bool { isReachable || environment["CI"] == "true" }

    static let skipNote: Comment = "no PostgreSQL server answers anchordesk_test@127.0.0.1:5432 (start one with .ci/start-postgresql): the PostgreSQL tests were skipped"

    /// Runs SQL with psql (`-v ON_ERROR_STOP=1`, unaligned, tuples only).
    @discardableResult
    static func psql(_ sql: String, database: String = "postgres", login: String = adminLogin, password: String = adminPassword)
        -> AnchorDeskProcess.Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-h", host, "-p", String(port), "-U", login, "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql]
        var env = environment
        env["PGPASSWORD"] = password
        env["PGCONNECT_TIMEOUT"] = "3"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return AnchorDeskProcess.Result(exitCode: 127, stdout: "", stderr: "psql: \(error)") }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return AnchorDeskProcess.Result(exitCode: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                        stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs SQL as the server's superuser (`su postgres -c psql`, as root): for server settings.
    @discardableResult
    static func superuser(_ sql: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["su", "postgres", "-c", "psql -qAt -v ON_ERROR_STOP=1 -p \(port) -c \"\(sql)\""]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The server's cluster, for the tests that stop and start it (`pg_ctlcluster`, as root).
    static func cluster() -> (version: String, name: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pg_lsclusters", "-h"]
        let out = Pipe()
        process.standardOutput = out
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 3, fields[2] == Substring(String(port)) { return (String(fields[0]), String(fields[1])) }
        }
        return nil
    }

    /// `pg_ctlcluster VERSION NAME ARGS…`, spawned so that a server it starts (which keeps
    /// every descriptor it inherits) cannot hold this process's wait open.
    @discardableResult
    static func control(_ arguments: [String]) -> Int32 {
        guard let cluster = cluster() else { return -1 }
        return TUISmokeTests.Spawn.run(["/usr/bin/pg_ctlcluster", cluster.version, cluster.name] + arguments)
    }

    /// Waits until the server answers again (after a restart).
    static func waitUntilReachable(seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if psql("select 1").exitCode == 0 { return true }
            Thread.sleep(forTimeInterval: 0.3)
        }
        return false
    }
}

/// A database of one test's own, with its logins and the local directories of the "machines"
/// that use it; all removed at the end.
struct PostgresTestStore {
    let database: String
    let root: URL
    private(set) var logins: [String] = []

    /// The store's URL for a login (the administrator by default).
    func url(login: String = PostgresTestServer.adminLogin) -> String {
        "postgresql://\(login)@\(PostgresTestServer.host):\(PostgresTestServer.port)/\(database)"
    }

    /// A "machine": a local directory of its own.
    func machine(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// The demo Users' keys the administrator's `init --demo` made.
    var demoUserKeys: String { machine("admin") + "/demo-user-keys" }

    /// Makes the database (`create database NAME options`) and, unless `initialise` is false,
    /// `init --demo` in it as the administrator.
    init(initialise: Bool = true, arguments: [String] = ["--demo"], options: String = "") throws {
        database = "anchordesk_t_" + UUID().uuidString.prefix(8).lowercased()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-pg-\(database)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let made = PostgresTestServer.psql("create database \(database) \(options)")
        try #require(made.exitCode == 0, "could not create a test database: \(made.stderr)")
        if initialise {
            let result = try run(["init"] + arguments)
            try #require(result.exitCode == 0, "init failed: \(result.stderr)")
        }
    }

    /// Runs anchordesk on this store as a login, from a machine. A machine the administrator
    /// runs on is one of the DSP's hosts: unless `dspKeys` is false it is given the DSP's private
    /// keys, as `init` left them on the first one, if it has none yet (the database holds none).
    @discardableResult
    func run(_ arguments: [String], login: String = PostgresTestServer.adminLogin, password: String = PostgresTestServer.adminPassword,
             machine name: String = "admin", dspKeys: Bool = true, environment extra: [String: String] = [:]) throws -> AnchorDeskProcess.Result {
        if dspKeys && login == PostgresTestServer.adminLogin { try provisionDSPHost(machine(name)) }
        var environment = ["PGPASSWORD": password, "ANCHORDESK_PG_LOCAL": machine(name)]
        for (key, value) in extra { environment[key] = value }
        return try AnchorDeskProcess.run(arguments + ["--store", url(login: login)], environment: environment)
    }

    /// The DSP's private keys on its first host (the administrator's `init` wrote them there).
    var dspKeys: String { machine("admin") + "/smki/keys" }

    /// Gives a machine directory the DSP's private keys, unless it has some or there are none yet.
    func provisionDSPHost(_ directory: String) throws {
        let keys = directory + "/smki/keys"
        let files = FileManager.default
        guard keys != dspKeys, files.fileExists(atPath: dspKeys), !files.fileExists(atPath: keys) else { return }
        try files.createDirectory(atPath: directory + "/smki", withIntermediateDirectories: true)
        try files.copyItem(atPath: dspKeys, toPath: keys)
    }

    /// The administrator's environment on one of the DSP's hosts: a machine of its own, given
    /// the DSP's private keys (``provisionDSPHost(_:)``).
    func dspHost(_ name: String) throws -> [String: String] {
        try provisionDSPHost(machine(name))
        return ["PGPASSWORD": PostgresTestServer.adminPassword, "ANCHORDESK_PG_LOCAL": machine(name)]
    }

    /// Makes a login (password `password`) and grants it organisations as the administrator.
    mutating func makeOperator(granted organisations: [String]) throws -> String {
        let login = "ad_op_" + UUID().uuidString.prefix(8).lowercased()
        let made = PostgresTestServer.psql("create role \(login) login password 'operator-secret'")
        try #require(made.exitCode == 0, "could not create a login: \(made.stderr)")
        logins.append(login)
        for organisation in organisations {
            let granted = try run(["operator", "grant", login, organisation])
            try #require(granted.exitCode == 0, "grant failed: \(granted.stderr)")
        }
        return login
    }

    /// psql in this database.
    func psql(_ sql: String, login: String = PostgresTestServer.adminLogin, password: String = PostgresTestServer.adminPassword)
        -> AnchorDeskProcess.Result
    {
        PostgresTestServer.psql(sql, database: database, login: login, password: password)
    }

    func remove() {
        PostgresTestServer.psql("drop database if exists \(database) with (force)")
        for login in logins { PostgresTestServer.psql("drop role if exists \(login)") }
        try? FileManager.default.removeItem(at: root)
    }
}

/// Every PostgreSQL test, one at a time: some stop the server.
@Suite(.serialized, .enabled(if: PostgresTestServer.shouldRun, PostgresTestServer.skipNote))
struct PostgreSQLTests {}


extension PostgresTestStore {
    /// Runs each script (shell lines calling `"$ANCHORDESK"` with `--store "$STORE"`) as one
    /// operator on a machine of its own, all at once, and waits for them; returns their folders,
    /// where they leave what they wrote.
    func runOperatorsAtOnce(_ scripts: [[String]], named name: String, lockTimeout: Int) throws -> [String] {
        var folders: [String] = []
        for (number, lines) in scripts.enumerated() {
            let folder = machine("\(name)-\(number)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try (["#!/bin/sh"] + lines).joined(separator: "\n").write(toFile: folder + "/run.sh", atomically: true, encoding: .utf8)
            folders.append(folder)
        }
        var running: [Process] = []
        for folder in folders {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["run.sh"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            var environment = ProcessInfo.processInfo.environment
            environment["ANCHORDESK"] = AnchorDeskProcess.executable
            environment["STORE"] = url()
            environment["PGPASSWORD"] = PostgresTestServer.adminPassword
            environment["ANCHORDESK_PG_LOCAL"] = folder + "/local"
            try provisionDSPHost(folder + "/local")
            environment["ANCHORDESK_KEYS"] = demoUserKeys
            environment["ANCHORDESK_LOCK_TIMEOUT"] = String(lockTimeout)
            environment["ANCHORDESK_NOW"] = "2026-11-25T09:00:00Z"
            process.environment = environment
            try process.run()
            running.append(process)
        }
        for process in running { process.waitUntilExit() }
        return folders
    }
}
