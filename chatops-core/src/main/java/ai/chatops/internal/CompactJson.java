package ai.chatops.internal;

import com.fasterxml.jackson.core.io.CharTypes;
import java.util.Arrays;

/**
 * A thread's byte buffer that one small JSON value (an audit entry, an event record) is written into
 * directly, as jackson-core's {@code UTF8JsonGenerator} (default features) would write it, byte for byte:
 * the same escapes for ASCII ({@link CharTypes#get7BitOutputEscapes()}, upper-case hex), other characters
 * as UTF-8, except that surrogates, paired or not, become six-character escapes (backslash, u, four hex
 * digits), as the generator does. It saves the generator, its context and its buffers per value. Not
 * thread-safe: one per thread.
 */
public final class CompactJson {
  private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] buffer;
  private int at;

  /** An empty buffer of {@code capacity} bytes, which grows as needed. */
  public CompactJson(int capacity) {
    buffer = new byte[capacity];
  }

  /** Empties the buffer for the next entry. */
  public CompactJson reset() {
    at = 0;
    return this;
  }

  /** The bytes written since {@link #reset}, copied out. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, at);
  }

  /** The size of the buffer, which grows as long entries are written. */
  public int capacity() {
    return buffer.length;
  }

  /** Appends {@code c} (ASCII) as it is. */
  public CompactJson raw(char c) {
    ensure(1);
    buffer[at++] = (byte) c;
    return this;
  }

  /** Appends {@code ascii} as it is: the caller's own field names and punctuation, never text of an entry. */
  public CompactJson raw(String ascii) {
    int length = ascii.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      buffer[at++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  /** Appends {@code value} in decimal. */
  public CompactJson number(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        return raw(Long.toString(value));
      }
      raw('-');
      return number(-value);
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    ensure(digits);
    long rest = value;
    for (int i = at + digits - 1; i >= at; i--) {
      buffer[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    at += digits;
    return this;
  }

  /** Appends {@code text} as a quoted, escaped JSON string. */
  public CompactJson string(String text) {
    int length = text.length();
    ensure(length + 2); // the common case: plain ASCII; escapes and other characters ensure more
    buffer[at++] = '"';
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80 && ESCAPES[c] == 0) {
        ensure(1);
        buffer[at++] = (byte) c;
      } else {
        special(c);
      }
    }
    ensure(1);
    buffer[at++] = '"';
    return this;
  }

  /** Appends {@code text} as {@link #string} does, or {@code null}, as the generator writes a null string. */
  public CompactJson stringOrNull(String text) {
    return text == null ? raw("null") : string(text);
  }

  /** Appends bytes written before (a JSON value encoded once and reused). */
  public CompactJson bytes(byte[] json) {
    ensure(json.length);
    System.arraycopy(json, 0, buffer, at, json.length);
    at += json.length;
    return this;
  }

  /** A character that is escaped or takes more than one byte. */
  private void special(char c) {
    ensure(6);
    if (c < 0x80) {
      int escape = ESCAPES[c];
      if (escape > 0) {
        buffer[at++] = '\\';
        buffer[at++] = (byte) escape;
      } else {
        unicodeEscape(c);
      }
    } else if (c < 0x800) {
      buffer[at++] = (byte) (0xc0 | (c >> 6));
      buffer[at++] = (byte) (0x80 | (c & 0x3f));
    } else if (Character.isSurrogate(c)) {
      unicodeEscape(c); // as the generator does (it does not join pairs into four UTF-8 bytes)
    } else {
      buffer[at++] = (byte) (0xe0 | (c >> 12));
      buffer[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
      buffer[at++] = (byte) (0x80 | (c & 0x3f));
    }
  }

  private void unicodeEscape(char c) {
    buffer[at++] = '\\';
    buffer[at++] = 'u';
    buffer[at++] = HEX[(c >> 12) & 0xf];
    buffer[at++] = HEX[(c >> 8) & 0xf];
    buffer[at++] = HEX[(c >> 4) & 0xf];
    buffer[at++] = HEX[c & 0xf];
  }

  private void ensure(int more) {
    if (at + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(at + more, buffer.length * 2));
    }
  }
}
