package io.tito.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.StorageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventRowsTest {

  /** A stand-in for an event's stored form: starts like one (format 1) and has {@code size} bytes. */
  private static byte[] stored(int size, Random random) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    b[0] = 0x15;
    b[1] = 0x01;
    return b;
  }

  @Test
  void rowsHoldEveryEventOnceInOrderWithinTheChunkSize() {
    Random random = new Random(7);
    for (int run = 0; run < 200; run++) {
      int n = 1 + random.nextInt(40);
      List<byte[]> events = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int size = random.nextInt(10) == 0 ? EventRows.CHUNK_BYTES + random.nextInt(1000)
            : 2 + random.nextInt(random.nextBoolean() ? 200 : 30_000);
        events.add(stored(size, random));
      }
      long first = 1 + random.nextInt(1000);
      List<EventRows.Row> rows = EventRows.pack(first, events);
      List<byte[]> back = new ArrayList<>();
      long expectedFirst = first;
      for (EventRows.Row row : rows) {
        assertThat(row.first()).isEqualTo(expectedFirst);
        List<byte[]> inRow = EventRows.events(row.value());
        assertThat(inRow).hasSize(row.count());
        assertThat(EventRows.count(row.value())).isEqualTo(row.count());
        long bytes = inRow.stream().mapToLong(e -> e.length).sum();
        assertThat(row.count() == 1 || bytes <= EventRows.CHUNK_BYTES).as("row of %d events, %d bytes", row.count(), bytes)
            .isTrue();
        for (int i = 0; i < inRow.size(); i++) {
          assertThat(EventRows.eventAt(row.value(), i)).isEqualTo(inRow.get(i));
        }
        assertThat(EventRows.eventAt(row.value(), row.count())).isNull();
        assertThat(EventRows.eventAt(row.value(), -1)).isNull();
        back.addAll(inRow);
        expectedFirst += row.count();
      }
      assertThat(back).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(back.get(i)).isEqualTo(events.get(i));
      }
      // Rows are not split while the next event still fits.
      for (int r = 0; r + 1 < rows.size(); r++) {
        long bytes = EventRows.events(rows.get(r).value()).stream().mapToLong(e -> e.length).sum();
        int next = events.get(Math.toIntExact(rows.get(r + 1).first() - first)).length;
        assertThat(bytes + next).isGreaterThan(EventRows.CHUNK_BYTES);
      }
    }
  }

  @Test
  void aRowOfOneEventIsItsStoredForm() {
    byte[] one = stored(50, new Random(1));
    List<EventRows.Row> rows = EventRows.pack(5, List.of(one));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).value()).isEqualTo(one);
    assertThat(EventRows.events(one)).containsExactly(one);
  }

  @Test
  void aCorruptRowIsAStorageError() {
    byte[] row = EventRows.pack(1, List.of(stored(10, new Random(2)), stored(10, new Random(3)))).get(0).value();
    byte[] cut = Arrays.copyOf(row, row.length - 3);
    assertThatThrownBy(() -> EventRows.events(cut)).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> EventRows.count(cut)).isInstanceOf(StorageException.class);
  }
}
