import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Closes a connection after its request when the client did not ask to keep it open: HTTP/1.0
/// without `Connection: keep-alive`, or any request with `Connection: close` among its tokens.
///
/// Hummingbird closes only after a request whose `Connection` header is exactly `close`, and it
/// cannot see an HTTP/1.0 request's version, which is lost when the request becomes an HTTPTypes
/// request. So this reads the HTTP/1 head before that conversion and writes what it means as
/// `Connection: close`.
final class ConnectionCloseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    /// Hummingbird adds its extra handlers after the HTTP/1 → HTTPTypes conversion; this one,
    /// added there, puts a ``ConnectionCloseHandler`` before the conversion and passes everything on.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart

        func handlerAdded(context: ChannelHandlerContext) {
            do {
                let pipeline = context.pipeline.syncOperations
                try pipeline.addHandler(ConnectionCloseHandler(), position: .before(try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)))
            } catch {
                context.fireErrorCaught(error)
            }
        }
    }
}
