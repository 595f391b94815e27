import Hummingbird
import NIOCore
import NIOSSL
import X509

/// A request on the operator API, with the TLS connection it came on: the client certificate
/// there says which operator is asking.
struct OperatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection, to read the verified client certificate from.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The subject of the client certificate the handshake verified, as the grants name it
    /// (swift-certificates' rendering of the distinguished name); `nil` without one.
    func clientSubject() async throws -> String? {
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else { return nil }
        return String(describing: try Certificate(derEncoded: try certificate.toDERBytes()).subject)
    }
}
