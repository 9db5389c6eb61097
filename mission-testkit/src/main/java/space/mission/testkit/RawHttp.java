package space.mission.testkit;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP over a plain {@link Socket} to 127.0.0.1, for requests no well-behaved client sends (a
 * malformed request line, a header too large, a body that never comes) and for watching when the
 * server closes a connection.
 */
public final class RawHttp implements AutoCloseable {

  /** A response as it came off the wire: status, headers (names in lower case) and body. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  public static RawHttp connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(15_000);
    return new RawHttp(socket);
  }

  /** Sends {@code text} as ISO-8859-1 bytes (HTTP's own charset for a request head). */
  public RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one response: its head, then as much body as Content-Length says (or up to the close). */
  public Response read() throws IOException {
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body;
    String length = headers.get("content-length");
    int status = Integer.parseInt(statusLine[1]);
    if (status / 100 == 1 || status == 204 || status == 304) {
      body = new byte[0];
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Waits up to {@code millis} for the server to close the connection (end of stream or reset);
   * true if it did. Bytes that arrive meanwhile are read and dropped.
   */
  public boolean closedWithin(long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    byte[] drop = new byte[4096];
    int timeout = socket.getSoTimeout();
    try {
      return closedBy(deadline, drop);
    } finally {
      socket.setSoTimeout(timeout);
    }
  }

  private boolean closedBy(long deadline, byte[] drop) throws IOException {
    while (System.nanoTime() < deadline) {
      socket.setSoTimeout((int) Math.max(1, Math.min(250, (deadline - System.nanoTime()) / 1_000_000)));
      try {
        if (socket.getInputStream().read(drop) < 0) {
          return true;
        }
      } catch (SocketTimeoutException stillOpen) {
        // nothing yet: keep waiting
      } catch (SocketException reset) {
        return true;
      }
    }
    return false;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    for (int b; (b = in.read()) >= 0; ) {
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) ? state + 1 : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    throw new IOException("the connection closed before a complete response head; got: " + head.toString(StandardCharsets.ISO_8859_1));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
