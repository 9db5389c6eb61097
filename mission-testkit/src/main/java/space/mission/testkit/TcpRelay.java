package space.mission.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * Forwards every connection made to {@code listenHost:port} on to a loopback service: how a process
 * in a {@link NamespaceHost}, which has a loopback of its own, reaches the test's database, fauxqs
 * and CloudWatch stand-in. Bytes pass through unchanged; closing one side closes the other.
 */
public final class TcpRelay implements AutoCloseable {

  private final Vertx vertx;
  private final NetServer server;

  private TcpRelay(Vertx vertx, NetServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static TcpRelay start(String listenHost, int targetPort) {
    Vertx vertx = Vertx.vertx();
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost(listenHost).setPort(0));
    server.connectHandler(inbound -> {
      inbound.pause();
      client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
        if (connected.failed()) {
          inbound.close();
          return;
        }
        join(inbound, connected.result());
      });
    });
    server.listen().await();
    return new TcpRelay(vertx, server);
  }

  private static void join(NetSocket inbound, NetSocket outbound) {
    inbound.pipeTo(outbound);
    outbound.pipeTo(inbound);
    inbound.resume();
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
