package space.mission.runtime.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Netty's decoder accepts any {@code NAME/major.minor} as a version, and Vert.x answers one it does
 * not speak with an empty 501 before any handler of ours runs. This marks such a request as a
 * decoding failure instead, right after the decoder, so it reaches the server's
 * {@code invalidRequestHandler} ({@link InvalidRequests}): 505 problem+json for HTTP/x.y other than
 * 1.0 and 1.1, 400 for a version that is not HTTP at all.
 *
 * <p>Vert.x offers no public hook at that point; the connection's pipeline is reached through
 * {@link HttpServerConnection}, the interface Vert.x hands its own connection handler. Should a
 * later Vert.x change that, the check is skipped and those requests get the empty 501 again.
 */
@ChannelHandler.Sharable
final class VersionCheck extends ChannelInboundHandlerAdapter {

  private static final VersionCheck INSTANCE = new VersionCheck();

  /** The decoding failure {@link InvalidRequests} answers 505. */
  static final class UnsupportedVersion extends IllegalArgumentException {
    UnsupportedVersion(String version) {
      super("HTTP version " + version + " is not supported");
    }
  }

  private VersionCheck() {
  }

  static void addTo(HttpConnection connection) {
    if (connection instanceof HttpServerConnection server) {
      ChannelPipeline pipeline = server.channelHandlerContext().pipeline();
      if (pipeline.get("httpDecoder") != null && pipeline.get(VersionCheck.class) == null) {
        pipeline.addAfter("httpDecoder", "versionCheck", INSTANCE);
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      HttpVersion version = request.protocolVersion();
      if (!"HTTP".equals(version.protocolName())) {
        request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("\"" + version.text() + "\" is not an HTTP version")));
      } else if (!version.equals(HttpVersion.HTTP_1_0) && !version.equals(HttpVersion.HTTP_1_1)) {
        request.setDecoderResult(DecoderResult.failure(new UnsupportedVersion(version.text())));
      }
    }
    ctx.fireChannelRead(msg);
  }
}
