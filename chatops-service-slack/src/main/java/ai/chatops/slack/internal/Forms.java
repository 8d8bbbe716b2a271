package ai.chatops.slack.internal;

import ai.chatops.BadRequestException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} bodies, as Slack sends slash commands and interactivity. */
public final class Forms {
  /** The most fields a form may have; Slack sends about a dozen. */
  public static final int MAX_FIELDS = 100;

  private Forms() {}

  /**
   * Parses a form body; a repeated name keeps its first value.
   *
   * @throws BadRequestException 400 when the body is not UTF-8 or not form-encoded, or has more than
   *     {@link #MAX_FIELDS} fields
   */
  public static Map<String, String> parse(byte[] body) {
    String text = utf8(body);
    Map<String, String> fields = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return fields;
    }
    int count = 0;
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      if (++count > MAX_FIELDS) {
        throw new BadRequestException(400, "the form body has more than " + MAX_FIELDS + " fields");
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        fields.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(400, "the form body has a malformed %-escape");
      }
    }
    return fields;
  }

  /** Encodes fields as a form body. */
  public static String encode(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /**
   * Checks that a body is strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
   * U+10FFFF), exactly as {@link #utf8} would accept it, without decoding it.
   *
   * @throws BadRequestException 400 when it is not
   */
  public static void requireUtf8(byte[] body) {
    int i = 0;
    int n = body.length;
    while (i < n) {
      // Most of an event is ASCII: eight bytes at a time, as their OR is negative when one has its top bit set.
      if (i + 8 <= n && (body[i] | body[i + 1] | body[i + 2] | body[i + 3]
          | body[i + 4] | body[i + 5] | body[i + 6] | body[i + 7]) >= 0) {
        i += 8;
        continue;
      }
      int b = body[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xff;
      int need;
      int min;
      int max = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (b == 0xe0) {
        need = 2;
        min = 0xa0; // no overlong three-byte forms
      } else if (b == 0xed) {
        need = 2;
        min = 0x80;
        max = 0x9f; // no surrogates
      } else if (b >= 0xe1 && b <= 0xef) {
        need = 2;
        min = 0x80;
      } else if (b == 0xf0) {
        need = 3;
        min = 0x90; // no overlong four-byte forms
      } else if (b >= 0xf1 && b <= 0xf3) {
        need = 3;
        min = 0x80;
      } else if (b == 0xf4) {
        need = 3;
        min = 0x80;
        max = 0x8f; // nothing above U+10FFFF
      } else {
        throw notUtf8();
      }
      if (i + need >= n) { // the sequence is cut off by the end of the body
        throw notUtf8();
      }
      int second = body[i + 1] & 0xff;
      if (second < min || second > max) {
        throw notUtf8();
      }
      for (int k = 2; k <= need; k++) {
        if ((body[i + k] & 0xc0) != 0x80) {
          throw notUtf8();
        }
      }
      i += need + 1;
    }
  }

  private static BadRequestException notUtf8() {
    return new BadRequestException(400, "the request body is not valid UTF-8");
  }

  /** Decodes strict UTF-8. */
  public static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw notUtf8();
    }
  }
}
