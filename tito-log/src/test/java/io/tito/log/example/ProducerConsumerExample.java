package io.tito.log.example;

import io.tito.log.LogConsumer;
import io.tito.log.LogProducer;
import io.tito.log.Outcome;
import io.tito.log.ProducerOptions;
import io.tito.log.SyncPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The module README's example, run as separate processes by {@code ProducerConsumerExampleTest}:
 *
 * <pre>
 *   produce &lt;log dir&gt; &lt;count&gt;            appends count durable records "order-N"
 *   consume &lt;log dir&gt; &lt;out file&gt; &lt;max&gt;  processes up to max records exactly once
 * </pre>
 *
 * The consumer's effect is a line in the output file; it commits each record right after its
 * effect. Restarting the consumer resumes after its last commit, so no record is processed twice.
 */
public final class ProducerConsumerExample {

  private ProducerConsumerExample() {}

  public static void main(String[] args) throws Exception {
    Path log = Path.of(args[1]);
    if (args[0].equals("produce")) {
      ProducerOptions options = ProducerOptions.builder(log)
          .syncPolicy(SyncPolicy.everyAppend()) // each append durable when it returns
          .build();
      try (LogProducer producer = LogProducer.open(options)) {
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          producer.append(("order-" + i).getBytes(StandardCharsets.UTF_8));
        }
      }
    } else {
      Path out = Path.of(args[2]);
      try (LogConsumer consumer = LogConsumer.exactlyOnce(log, "billing")) {
        consumer.process(Long.parseLong(args[3]), (record, attempt) -> {
          try {
            Files.writeString(out, new String(record.payload(), StandardCharsets.UTF_8) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            return Outcome.COMMIT; // the checkpoint is saved before the next record comes
          } catch (IOException e) {
            return Outcome.RETRY; // same record again after the backoff
          }
        });
      }
    }
  }
}
