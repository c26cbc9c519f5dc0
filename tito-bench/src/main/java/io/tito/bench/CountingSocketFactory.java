package io.tito.bench;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * A socket factory for the PostgreSQL driver ({@code socketFactory=} URL parameter) that counts
 * flushes of every socket's output: the driver flushes once per message round (a query, a batch,
 * a commit), so the count is the number of round trips the client started. Process-wide counter.
 */
public final class CountingSocketFactory extends SocketFactory {

  /** Flushes so far, over every socket this factory made. */
  public static final AtomicLong FLUSHES = new AtomicLong();

  @Override
  public Socket createSocket() {
    return new CountingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new java.net.InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
    return createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new java.net.InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
      throws IOException {
    return createSocket(host, port);
  }

  private static final class CountingSocket extends Socket {
    private OutputStream out;

    @Override
    public OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out = new FilterOutputStream(super.getOutputStream()) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            this.out.write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            FLUSHES.incrementAndGet();
            super.flush();
          }
        };
      }
      return out;
    }
  }
}
