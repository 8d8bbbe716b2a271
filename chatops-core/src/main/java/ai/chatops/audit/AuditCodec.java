package ai.chatops.audit;

import ai.chatops.internal.CompactJson;
import ai.chatops.plugin.Invocation;
import ai.chatops.toolkit.LogSafe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Encodes audit entries without reflection per call: compactly for the store (one-letter fields, epoch
 * millis; written straight into bytes, as Jackson's generator would write them) and readably for exports
 * (JSON lines with full names, ISO times; Jackson's streaming generator). Keys sort newest first: {@code audit/<9999999999999 - epoch millis, 13 digits>/<hash of the event>}.
 */
final class AuditCodec {
  /** Every audit key starts with this. */
  public static final String PREFIX = "audit/";
  private static final long REVERSE = 9_999_999_999_999L;
  private static final JsonFactory JSON = new JsonFactory();
  /** How many characters of the event's hash a key ends with. */
  private static final int REF_LENGTH = 22;
  private static final int KEY_LENGTH = PREFIX.length() + 13 + 1 + 10 + REF_LENGTH;
  private static final char[] BASE64_URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
  /** The largest buffer a thread keeps for {@link #encode}: an entry with longer text gets its own. */
  private static final int KEPT_BUFFER = 4096;
  private static final ThreadLocal<CompactJson> ENCODED = new ThreadLocal<>() {
    @Override
    protected CompactJson initialValue() {
      return new CompactJson(512); // a class, not a lambda: created on a cold router's first call
    }
  };
  private static final String[] NO_NAMES = {};
  private static final ThreadLocal<KeyScratch> SCRATCH = new ThreadLocal<>() {
    @Override
    protected KeyScratch initialValue() {
      return new KeyScratch();
    }
  };

  private AuditCodec() {}

  /**
   * The store key of an entry: newest first; within a millisecond, the latest {@code sequence} (a counter of
   * the writing router) first; then by event.
   */
  public static String key(AuditEntry entry, long sequence) {
    KeyScratch scratch = SCRATCH.get();
    MessageDigest sha = scratch.sha256;
    scratch.digest(entry.service());
    sha.update((byte) '\n');
    scratch.digest(entry.workspace());
    sha.update((byte) '\n');
    scratch.digest(entry.eventId());
    sha.update((byte) '\n');
    scratch.digest(entry.route());
    byte[] digest = scratch.hash;
    try {
      sha.digest(digest, 0, digest.length);
    } catch (DigestException e) {
      throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
    }
    char[] key = new char[KEY_LENGTH];
    PREFIX.getChars(0, PREFIX.length(), key, 0);
    int at = digits(key, PREFIX.length(), REVERSE - Math.max(0, Math.min(REVERSE, entry.time().toEpochMilli())), 13);
    key[at++] = '/';
    at = digits(key, at, 9_999_999_999L - (sequence % 10_000_000_000L), 10);
    base64Url(digest, key, at);
    return new String(key);
  }

  /** Writes {@code value} (not negative) as {@code width} decimal digits, zero-padded; returns the index after. */
  private static int digits(char[] into, int from, long value, int width) {
    long rest = value;
    for (int i = from + width - 1; i >= from; i--) {
      into[i] = (char) ('0' + rest % 10);
      rest /= 10;
    }
    return from + width;
  }

  /**
   * Writes the first {@value #REF_LENGTH} characters of the unpadded URL-safe Base64 of {@code digest} (as
   * {@link Base64#getUrlEncoder()} would) from {@code from} on.
   */
  private static void base64Url(byte[] digest, char[] into, int from) {
    int at = from;
    for (int i = 0; at < from + REF_LENGTH; i += 3) {
      int bits = (digest[i] & 0xff) << 16 | (digest[i + 1] & 0xff) << 8 | (digest[i + 2] & 0xff);
      for (int shift = 18; shift >= 0 && at < from + REF_LENGTH; shift -= 6) {
        into[at++] = BASE64_URL[(bits >>> shift) & 0x3f];
      }
    }
  }

  /** {@code audit/<reversed millis>}: the start of every key written at that millisecond. */
  public static String timePrefix(long epochMillis) {
    return PREFIX + reversed(epochMillis);
  }

  /** The 13-digit reversed time; later times give smaller strings. */
  public static String reversed(long epochMillis) {
    long r = REVERSE - Math.max(0, Math.min(REVERSE, epochMillis));
    String digits = Long.toString(r);
    return "0".repeat(13 - digits.length()) + digits;
  }

  /** The compact stored form. */
  public static byte[] encode(AuditEntry entry) {
    // A thread's buffer, emptied and reused: the stored bytes are copied out of it.
    CompactJson out = ENCODED.get().reset();
    writeCompact(out, entry);
    byte[] bytes = out.toByteArray();
    if (out.capacity() > KEPT_BUFFER) {
      ENCODED.remove(); // not kept: a few long entries would hold their buffer in every thread
    }
    return bytes;
  }

  /**
   * The compact form written straight into bytes, the same bytes as jackson-core's generator wrote for it
   * before (pinned by a test against the generator's form), without a generator per entry.
   */
  private static void writeCompact(CompactJson out, AuditEntry e) {
    out.raw("{\"t\":").number(e.time().toEpochMilli());
    out.raw(",\"s\":").string(e.service());
    out.raw(",\"e\":").string(e.eventId());
    out.raw(",\"w\":").string(e.workspace());
    out.raw(",\"u\":").string(e.user());
    out.raw(",\"c\":").string(e.channel());
    if (e.thread().isPresent()) {
      out.raw(",\"h\":").string(e.thread().get());
    }
    out.raw(",\"r\":").string(e.route());
    out.raw(",\"a\":{");
    String[] names = sortedNames(e.attributes());
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        out.raw(',');
      }
      out.string(names[i]).raw(':').string(e.attributes().get(names[i]));
    }
    out.raw("},\"o\":").string(e.outcome().wireName());
    out.raw(",\"d\":").number(e.durationMillis());
    if (!e.detail().isEmpty()) {
      out.raw(",\"m\":").string(e.detail());
    }
    if (!e.via().equals(Invocation.VIA_CHAT)) {
      out.raw(",\"v\":").string(e.via());
    }
    out.raw('}');
  }

  /** The attribute names sorted, as a TreeMap would: the stored bytes of equal entries are equal. */
  private static String[] sortedNames(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return NO_NAMES;
    }
    String[] names = attributes.keySet().toArray(new String[0]);
    Arrays.sort(names);
    return names;
  }

  /** Writes one entry as a line of JSON with full field names; the writer is not closed. */
  public static void writeLine(Writer out, AuditEntry entry) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writeReadable(g, entry);
    }
    out.write('\n');
  }

  private static void writeReadable(JsonGenerator g, AuditEntry e) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", e.time().toString());
    g.writeStringField("service", e.service());
    g.writeStringField("event", e.eventId());
    g.writeStringField("workspace", e.workspace());
    g.writeStringField("user", e.user());
    g.writeStringField("channel", e.channel());
    if (e.thread().isPresent()) {
      g.writeStringField("thread", e.thread().get());
    }
    g.writeStringField("route", e.route());
    g.writeObjectFieldStart("attributes");
    for (String name : sortedNames(e.attributes())) {
      g.writeStringField(name, e.attributes().get(name));
    }
    g.writeEndObject();
    g.writeStringField("outcome", e.outcome().wireName());
    g.writeNumberField("durationMs", e.durationMillis());
    if (!e.detail().isEmpty()) {
      g.writeStringField("detail", e.detail());
    }
    if (!e.via().equals(Invocation.VIA_CHAT)) {
      g.writeStringField("via", e.via());
    }
    g.writeEndObject();
  }

  /**
   * Reads a stored entry.
   *
   * @throws IllegalArgumentException when the bytes are not an audit entry
   */
  public static AuditEntry decode(byte[] bytes) {
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("an audit entry must be a JSON object");
      }
      long time = -1;
      long duration = 0;
      Map<String, String> text = new LinkedHashMap<>();
      Map<String, String> attributes = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("a") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            attributes.put(name, p.getValueAsString(""));
          }
        } else if (field.equals("t") && value == JsonToken.VALUE_NUMBER_INT) {
          time = p.getLongValue();
        } else if (field.equals("d") && value == JsonToken.VALUE_NUMBER_INT) {
          duration = p.getLongValue();
        } else if (value == JsonToken.VALUE_STRING) {
          text.put(field, p.getText());
        } else {
          p.skipChildren(); // a field a later version added
        }
      }
      if (time < 0 || !text.containsKey("r") || !text.containsKey("o")) {
        throw new IllegalArgumentException("an audit entry needs t, r and o");
      }
      AuditEntry.Outcome outcome = AuditEntry.Outcome.fromWireName(text.get("o"))
          .orElseThrow(() -> new IllegalArgumentException("unknown outcome " + LogSafe.clean(text.get("o"))));
      return new AuditEntry(Instant.ofEpochMilli(time), text.getOrDefault("s", ""), text.getOrDefault("e", ""),
          text.getOrDefault("w", ""), text.getOrDefault("u", ""), text.getOrDefault("c", ""),
          Optional.ofNullable(text.get("h")), text.get("r"), attributes, outcome, duration,
          text.getOrDefault("m", ""), text.getOrDefault("v", Invocation.VIA_CHAT));
    } catch (IOException e) {
      throw new IllegalArgumentException("an audit entry must be well-formed JSON", e);
    }
  }

  /**
   * A thread's digest and buffers for {@link #key}: the parts of the hashed text are fed to the digest one
   * by one, ASCII without a copy into a new array, instead of joined into a string and encoded.
   */
  private static final class KeyScratch {
    final MessageDigest sha256;
    final byte[] hash = new byte[32];
    private byte[] ascii = new byte[64];

    KeyScratch() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }

    /** Feeds the UTF-8 bytes of {@code text} to the digest. */
    void digest(String text) {
      int length = text.length();
      if (ascii.length < length) {
        ascii = new byte[Math.max(length, ascii.length * 2)];
      }
      for (int i = 0; i < length; i++) {
        char c = text.charAt(i);
        if (c >= 0x80) {
          sha256.update(text.getBytes(StandardCharsets.UTF_8));
          return;
        }
        ascii[i] = (byte) c;
      }
      sha256.update(ascii, 0, length);
    }
  }
}
