package ai.chatops.toolkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The read limits of every JSON parser that reads bytes from outside the process: Slack requests, Socket
 * Mode envelopes, queue and topic messages, hook bodies, and the answers of remote APIs (Jenkins). Jackson's
 * own defaults are generous (1,000 levels, 20 M characters per string, no cap on a document or its tokens);
 * these are sized for chat payloads, and every limit is listed with its value in SECURITY.md. A parser that
 * exceeds one throws {@link StreamConstraintsException}, a {@code JsonProcessingException}, which each
 * entry point turns into its "malformed" answer (400), never a 500.
 */
public final class JsonLimits {
  /** Objects and arrays inside one another. Slack's deepest Block Kit payloads stay under 20. */
  public static final int MAX_NESTING_DEPTH = 64;
  /** Characters in one string value. */
  public static final int MAX_STRING_CHARS = 1_000_000;
  /** Characters in one property name. */
  public static final int MAX_NAME_CHARS = 1_000;
  /** Characters in one number (digits, sign, fraction, exponent). */
  public static final int MAX_NUMBER_CHARS = 100;
  /** Bytes (or characters) in one document; the router's body cap (1 MiB by default) usually refuses first. */
  public static final long MAX_DOCUMENT_BYTES = 16L * 1024 * 1024;
  /** Tokens (names, values, brackets) in one document. */
  public static final long MAX_TOKENS = 1_000_000;

  private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
      .maxNestingDepth(MAX_NESTING_DEPTH)
      .maxStringLength(MAX_STRING_CHARS)
      .maxNameLength(MAX_NAME_CHARS)
      .maxNumberLength(MAX_NUMBER_CHARS)
      .maxDocumentLength(MAX_DOCUMENT_BYTES)
      .maxTokenCount(MAX_TOKENS)
      .build();

  private JsonLimits() {}

  /** The constraints above, for a factory built elsewhere. */
  public static StreamReadConstraints constraints() {
    return CONSTRAINTS;
  }

  /** A new factory whose parsers enforce the limits. */
  public static JsonFactory factory() {
    return JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
  }

  /**
   * Whether a body can be JSON in UTF-8, the only encoding JSON exchanged between systems may use (RFC 8259):
   * false for a UTF-16 or UTF-32 byte order mark and for a NUL among the first four bytes, which is how
   * Jackson recognises UTF-16 and UTF-32 text (a JSON text in UTF-8 starts with whitespace or a value, never
   * NUL). Entry points refuse such a body before parsing, so a signed UTF-16 and a signed UTF-32 body meet
   * one rule instead of whatever Jackson guesses.
   */
  public static boolean utf8(byte[] body) {
    int n = Math.min(4, body.length);
    if (n >= 2 && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
        || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE))) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (body[i] == 0) {
        return false;
      }
    }
    return true;
  }

  /** A new mapper whose parsers enforce the limits, otherwise with Jackson's defaults. */
  public static JsonMapper mapper() {
    return JsonMapper.builder(factory()).build();
  }
}
