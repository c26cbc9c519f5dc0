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
import java.util.concurrent.atomic.AtomicInteger;

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
  /**
   * Raised by every {@link #cut()} and {@link #restore()}: a connection that an accept loop took
   * while a cut was under way (the listener's close races with an accept already returning) is
   * dropped instead of piped, so nothing reaches the broker between a cut and its restore.
   */
  private final AtomicInteger generation = new AtomicInteger();

  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, loopback);
    this.port = server.getLocalPort();
    accept(server, generation.get());
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** Drops every connection and stops accepting. */
  public synchronized void cut() throws IOException {
    // First the generation: a connection the accept loop registers from here on is dropped by
    // the loop itself; one registered before is in the set closed below.
    generation.incrementAndGet();
    server.close();
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  /** Accepts connections again, on the same port. */
  public synchronized void restore() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(loopback, port), 50);
    server = s;
    accept(s, generation.incrementAndGet());
  }

  private void accept(ServerSocket listener, int acceptGeneration) {
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          Socket client = listener.accept();
          Socket broker;
          try {
            broker = new Socket(loopback, targetPort);
          } catch (IOException e) {
            client.close();
            continue;
          }
          open.add(client);
          open.add(broker);
          if (generation.get() != acceptGeneration) {
            // Cut (or cut and restored) since this loop's listener opened.
            client.close();
            broker.close();
            continue;
          }
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
