import AnchorCore
import Foundation
import SMKI
#if canImport(Glibc)
import Glibc
#endif

/// A directory laid out as DCC publishes its keystores (`<entity-id>-ds.pem`, `<entity-id>-ka.pem`,
/// `<entity-id>-ka.key`; SmartDCCInnovation's `dccboxed-keystore`, and `test/rtds/keystore` of
/// `gbcs-parser`), read for checking messages.
///
/// One file that cannot be read never stops the rest: it is left out with a warning that names it.
public struct KeystoreDirectory: Sendable {
    /// The largest file read: a certificate or key is a few hundred bytes.
    static let largestFile = 64 * 1024

    /// The folder.
    public let path: String

    /// A keystore at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The file a certificate goes in: `<entity-id>-ds.pem` or `<entity-id>-ka.pem`, the entity ID
    /// in 16 lowercase hex digits.
    public static func certificateName(_ entity: EUI64, _ usage: AnchorCore.KeyUsage) -> String {
        UserKeyDirectory.fileStem(entity) + (usage == .digitalSigning ? "-ds.pem" : "-ka.pem")
    }

    /// Writes a certificate (its bytes as published, in PEM) under its DCC name, creating the
    /// folder (0700) if needed and replacing a file of that name atomically.
    /// - Throws: ``StoreError``.
    public func write(_ certificate: OrganisationCertificate, entity: EUI64, usage: AnchorCore.KeyUsage) throws(StoreError) {
        try StoreDirectory.create(path: path)
        try AtomicFile.write(Array((certificate.pem + "\n").utf8), to: path + "/" + KeystoreDirectory.certificateName(entity, usage))
    }

    /// Adds the keys of every file whose name DCC's layout gives (others are passed over) to `keys`.
    /// - Returns: one warning per file left out, naming it and saying why.
    /// - Throws: ``StoreError`` when the folder itself cannot be listed.
    public func addKeys(to keys: inout VerificationKeys) throws(StoreError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw StoreError(code: .io, message: "cannot list the key directory", path: path)
        }
        var warnings: [String] = []
        for name in names where VerificationKeys.kind(ofFileNamed: name) != nil {
            let problem: String?
            switch read(name) {
            case .success(let bytes): problem = keys.add(fileNamed: name, contents: bytes)
            case .failure(let why): problem = why.message
            }
            if let problem { warnings.append("\(name) left out: \(problem)") }
        }
        return warnings
    }

    /// A file's bytes, if it is a regular file of a key's size (and, for a private key, one only
    /// its owner may read, as ``PrivateKeyFile`` requires): never waits on a FIFO or reads a device.
    private func read(_ name: String) -> Result<[UInt8], KeystoreFileProblem> {
        let file = path + "/" + name
        let (fd, openError) = FileIO.open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK, followingLinks: true)
        guard fd >= 0 else { return .failure(KeystoreFileProblem(message: "cannot open it (\(String(cString: strerror(openError))))")) }
        defer { FileIO.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .failure(KeystoreFileProblem(message: "not a regular file")) }
        if VerificationKeys.kind(ofFileNamed: name)?.kind == .keyAgreementPrivateKey, let problem = PrivateKeyFile.problem(with: info, path: file) {
            return .failure(KeystoreFileProblem(message: problem))
        }
        guard info.st_size <= KeystoreDirectory.largestFile else {
            return .failure(KeystoreFileProblem(message: "\(info.st_size) bytes, more than a key file's \(KeystoreDirectory.largestFile)"))
        }
        // At most one byte more than allowed: a file that grows after fstat is still caught.
        var bytes = [UInt8](repeating: 0, count: KeystoreDirectory.largestFile + 1)
        var filled = 0
        while filled < bytes.count {
            let count = bytes[filled...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                filled += count
            } else if count == 0 {
                break
            } else if errno != EINTR {
                return .failure(KeystoreFileProblem(message: "cannot read it (\(String(cString: strerror(errno))))"))
            }
        }
        guard filled <= KeystoreDirectory.largestFile else {
            return .failure(KeystoreFileProblem(message: "more than a key file's \(KeystoreDirectory.largestFile) bytes"))
        }
        return .success(Array(bytes.prefix(filled)))
    }
}

/// Why one keystore file was left out.
private struct KeystoreFileProblem: Error {
    var message: String
}
