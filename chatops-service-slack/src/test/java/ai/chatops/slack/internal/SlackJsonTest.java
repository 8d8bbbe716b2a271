package ai.chatops.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import ai.chatops.toolkit.JsonLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SlackJson#parseEventsBody} skips the fields it is not asked for: the tree it builds must be the full
 * tree's restriction to those fields, and every body the full read refuses must be refused with the same
 * answer. The full read is the same method asked for every field, which skips nothing.
 */
class SlackJsonTest {
  private static final Set<String> ROOT = Set.of("type", "event_id", "team_id", "authorizations", "challenge");
  private static final Set<String> EVENT = Set.of("type", "text", "channel", "ts", "user");
  private static final String[] SEEDS = {"challenge", "im", "bignumber", "thread", "manykeys", "botmessage"};
  private static final String[] PIECES = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00e9", "\"blocks\":",
      "\"event\":", "\"text\":", "1e5", "-0", "null", "true", "\u0001", "é", " ", "\"x\"", "{\"a\":[1,{}]}"};

  /** A set holding every name: the parse skips nothing, as it read before. */
  private static final Set<String> EVERY = new AbstractSet<>() {
    @Override
    public boolean contains(Object o) {
      return true;
    }

    @Override
    public Iterator<String> iterator() {
      throw new UnsupportedOperationException("not enumerable");
    }

    @Override
    public int size() {
      return Integer.MAX_VALUE;
    }
  };

  @Test
  void readsWhatTheFullTreeHoldsOrRefusesAsItDoesOnMutatedBodies() throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    for (String name : SEEDS) {
      try (InputStream in = SlackJsonTest.class.getResourceAsStream(
          "/ai/chatops/slack/SlackEventsFuzzTestInputs/eventsBody/" + name)) {
        seeds.add(in.readAllBytes());
      }
    }
    seeds.add(("{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\",\"text\":\"hi\","
        + "\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"t\":\"x\\n\",\"n\":1.5e3}]}],\"channel\":\"C1\"},"
        + "\"authorizations\":[{\"is_bot\":true,\"user_id\":\"U1\"}],\"extra\":{\"k\":[null,false]}}")
        .getBytes(StandardCharsets.UTF_8));
    SplittableRandom random = new SplittableRandom(20261207);
    int accepted = 0;
    int refused = 0;
    for (int round = 0; round < 30_000; round++) {
      byte[] body = mutate(seeds.get(random.nextInt(seeds.size())), random);
      if (!utf8(body)) {
        continue; // refused before parsing (Forms.requireUtf8)
      }
      if (sameAnswer(body)) {
        accepted++;
      } else {
        refused++;
      }
    }
    // Both kinds of outcome were compared, many times.
    assertThat(accepted).isGreaterThan(1000);
    assertThat(refused).isGreaterThan(1000);
  }

  @Test
  void aSkippedValueIsCheckedAgainstEveryLimit() {
    String[] skipped = {"\"" + "x".repeat(JsonLimits.MAX_STRING_CHARS + 1) + "\"", "9".repeat(101),
        "[".repeat(70) + "]".repeat(70), "{\"" + "k".repeat(1001) + "\":1}", "\"a\u0001b\"", "\"a\\qb\"",
        "[1,]", "01"};
    for (String value : skipped) {
      for (String body : List.of("{\"type\":\"x\",\"blocks\":" + value + "}",
          "{\"event\":{\"type\":\"x\",\"blocks\":" + value + "}}")) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(sameAnswer(bytes)).as(body.substring(0, Math.min(60, body.length()))).isFalse();
      }
    }
    assertThatThrownBy(() -> SlackJson.parseEventsBody(("{\"blocks\":\"" + "x".repeat(1_000_001) + "\"}")
        .getBytes(StandardCharsets.UTF_8), ROOT, EVENT))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("the body exceeds a JSON limit: String value length (1000001) exceeds");
  }

  @Test
  void keepsTheRawEventAndTheLastOfARepeatedField() {
    String event = "{\"type\":\"message\",\"blocks\":[{\"a\":\"b\"}],\"text\":\"second\"}";
    SlackJson.EventsBody parsed = SlackJson.parseEventsBody(("{\"event\":{\"text\":\"first\"},\"event\":" + event
        + ",\"type\":1,\"type\":\"event_callback\"}").getBytes(StandardCharsets.UTF_8), ROOT, EVENT);
    assertThat(parsed.rawEvent()).isEqualTo(event);
    assertThat(parsed.root()).isEqualTo(Map.of("event", Map.of("type", "message", "text", "second"),
        "type", "event_callback"));
  }

  /** Whether both parses accept the body (true) or both refuse it alike (false); fails if they differ. */
  private static boolean sameAnswer(byte[] body) {
    SlackJson.EventsBody full;
    try {
      full = SlackJson.parseEventsBody(body, EVERY, EVERY);
    } catch (BadRequestException e) {
      assertThatThrownBy(() -> SlackJson.parseEventsBody(body, ROOT, EVENT))
          .as(new String(body, StandardCharsets.UTF_8))
          .isInstanceOf(BadRequestException.class)
          .hasMessage(e.getMessage());
      return false;
    }
    SlackJson.EventsBody partial = SlackJson.parseEventsBody(body, ROOT, EVENT);
    assertThat(partial.rawEvent()).isEqualTo(full.rawEvent());
    assertThat(partial.root()).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(restrict(full.root()));
    return true;
  }

  private static Map<String, Object> restrict(Map<String, Object> root) {
    Map<String, Object> kept = new LinkedHashMap<>();
    root.forEach((name, value) -> {
      if (name.equals("event") && value instanceof Map) {
        Map<String, Object> event = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((field, v) -> {
          if (EVENT.contains(field)) {
            event.put((String) field, v);
          }
        });
        kept.put(name, event);
      } else if (name.equals("event") || ROOT.contains(name)) {
        kept.put(name, value);
      }
    });
    return Collections.unmodifiableMap(kept);
  }

  private static byte[] mutate(byte[] seed, SplittableRandom random) {
    String text = new String(seed, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(text);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && b.length() > 0; i++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(3)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, PIECES[random.nextInt(PIECES.length)]);
        default -> b.setCharAt(at, PIECES[random.nextInt(PIECES.length)].charAt(0));
      }
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean utf8(byte[] body) {
    try {
      Forms.requireUtf8(body);
      return true;
    } catch (BadRequestException e) {
      return false;
    }
  }
}
