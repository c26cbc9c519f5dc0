package io.tito.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a local port in front of a broker, which a test can {@linkplain #cut() cut}
 * (every connection dropped, new ones refused: the broker is down as far as a client can tell)
 * and {@linkplain #restore() restore} on the same port, without touching the shared broker.
 */
public final class TcpProxy implements AutoCloseable {

  private final InetAddress loopback = InetAddress.getLoopbackAddress();
  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, loopback);
    this.port = server.getLocalPort();
    accept(server);
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** Drops every connection and stops accepting. */
  public void cut() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  /** Accepts connections again, on the same port. */
  public void restore() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(loopback, port), 50);
    server = s;
    accept(s);
  }

  private void accept(ServerSocket listener) {
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          Socket client = listener.accept();
          Socket broker = new Socket(loopback, targetPort);
          open.add(client);
          open.add(broker);
          pipe(client, broker);
          pipe(broker, client);
        }
      } catch (IOException e) {
        // listener closed by cut() or close()
      }
    });
  }

  private void pipe(Socket from, Socket to) {
    Thread.ofVirtual().start(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // already closed
        }
      }
    });
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
