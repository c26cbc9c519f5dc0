package io.tito.log;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child processes of {@link KillNineTest}, killed with SIGKILL at random moments.
 *
 * <ul>
 *   <li>{@code produce <dir>}: appends records of {@link TestLogs#payload} with every append
 *       durable, printing "A offset" after each append returned.
 *   <li>{@code consume <dir> <id>}: an exactly-once consumer that checks each record's payload,
 *       commits it and prints "C offset" after the commit returned.
 * </ul>
 */
public final class KillChild {

  private KillChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    PrintStream out = new PrintStream(System.out, false);
    switch (args[0]) {
      case "produce" -> {
        try (LogProducer p = LogProducer.open(TestLogs.small(dir).build())) {
          out.println("READY");
          out.flush();
          while (true) {
            long next = p.endOffset();
            long o = p.append(TestLogs.payload(next, 60 + (int) (next % 100)));
            out.println("A " + o);
            out.flush();
          }
        }
      }
      case "consume" -> {
        try (LogConsumer c = LogConsumer.exactlyOnce(dir, args[2])) {
          out.println("READY " + c.checkpoint());
          out.flush();
          while (true) {
            LogRecord r = c.take();
            byte[] expected = TestLogs.payload(r.offset(), 60 + (int) (r.offset() % 100));
            if (!Arrays.equals(expected, r.payload())) {
              out.println("BAD " + r.offset());
              out.flush();
              System.exit(3);
            }
            c.commit(r);
            out.println("C " + r.offset());
            out.flush();
          }
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
