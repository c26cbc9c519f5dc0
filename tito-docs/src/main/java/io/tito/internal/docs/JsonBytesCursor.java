package io.tito.internal.docs;

/**
 * A cursor over the bytes of JSON as a mapper writes it, for the readers that scan stored
 * documents without a parser ({@link Projection}, {@link ByteMatcher}): skipping values,
 * strings and whitespace, and checking punctuation. Bytes it does not expect make it throw
 * {@link IllegalStateException} (or run past the end: {@link ArrayIndexOutOfBoundsException});
 * callers fall back to a full parse. Not thread-safe (one per scan).
 */
abstract class JsonBytesCursor {

  /** The bytes scanned. */
  final byte[] b;
  /** The cursor: the index of the next byte to read. */
  int i;
  /** Whether the string {@link #endOfString} last passed held an escape. */
  boolean escape;

  JsonBytesCursor(byte[] b) {
    this.b = b;
  }

  /** Skips the value at the cursor. */
  final void skip() {
    byte c = b[i];
    if (c == '"') {
      i++;
      endOfString();
      return;
    }
    if (c == '{' || c == '[') {
      int open = 0;
      do {
        c = b[i++];
        if (c == '"') {
          endOfString();
        } else if (c == '{' || c == '[') {
          open++;
        } else if (c == '}' || c == ']') {
          open--;
        }
      } while (open > 0);
      return;
    }
    int s = i;
    while (i < b.length && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] > ' ') {
      i++;
    }
    if (s == i) {
      throw new IllegalStateException("unexpected byte at " + s);
    }
  }

  /**
   * Moves past the closing quote of the string whose opening quote was just read, and returns
   * that quote's index; {@link #escape} tells whether the string held an escape.
   */
  final int endOfString() {
    escape = false;
    while (true) {
      byte c = b[i++];
      if (c == '"') {
        return i - 1;
      }
      if (c == '\\') {
        escape = true;
        i++;
      }
    }
  }

  /** After a member or element: true at a comma (another follows), false at {@code close}. */
  final boolean more(char close) {
    ws();
    byte c = b[i++];
    if (c == ',') {
      return true;
    }
    if (c != close) {
      throw new IllegalStateException("expected , or " + close + " at " + (i - 1));
    }
    return false;
  }

  /** The next byte that is not whitespace (the cursor stops on it). */
  final byte peek() {
    ws();
    return b[i];
  }

  /** Moves past {@code c}, after whitespace, or throws if another byte is there. */
  final void expect(char c) {
    ws();
    if (b[i] != c) {
      throw new IllegalStateException("expected " + c + " at " + i);
    }
    i++;
  }

  /** Moves past whitespace. */
  final void ws() {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
  }
}
