package ai.chatops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stored and exported forms of audit entries. */
class AuditCodecTest {
  private static final AuditEntry ENTRY = new AuditEntry(Instant.parse("2030-01-01T00:00:00.250Z"), "slack",
      "Ev1", "T1", "U1", "C1", Optional.of("1700.1"), "/v1/jenkins/build",
      Map.of("ID", "api \"server\"\n", "BRANCH", "main"), AuditEntry.Outcome.TIMED_OUT, 30_000,
      "did not finish within 30 s");

  @Test
  void storesCompactlyAndReadsBack() {
    byte[] bytes = AuditCodec.encode(ENTRY);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"t\":1893456000250,\"s\":\"slack\","
        + "\"e\":\"Ev1\",\"w\":\"T1\",\"u\":\"U1\",\"c\":\"C1\",\"h\":\"1700.1\",\"r\":\"/v1/jenkins/build\","
        + "\"a\":{\"BRANCH\":\"main\",\"ID\":\"api \\\"server\\\"\\n\"},\"o\":\"timed_out\",\"d\":30000,"
        + "\"m\":\"did not finish within 30 s\"}");
    assertThat(AuditCodec.decode(bytes)).isEqualTo(ENTRY);
  }

  @Test
  void ignoresFieldsALaterVersionAddsAndRefusesWhatIsNotAnEntry() {
    assertThat(AuditCodec.decode(("{\"t\":5,\"r\":\"audit\",\"o\":\"done\",\"x\":{\"y\":[1]}}")
        .getBytes(StandardCharsets.UTF_8)).route()).isEqualTo("audit");
    assertThatThrownBy(() -> AuditCodec.decode("[]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("an audit entry must be a JSON object");
    assertThatThrownBy(() -> AuditCodec.decode("{\"t\":5}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("an audit entry needs t, r and o");
    assertThatThrownBy(() -> AuditCodec.decode("{\"t\":5,\"r\":\"a\",\"o\":\"won\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("unknown outcome won");
    assertThatThrownBy(() -> AuditCodec.decode("{\"t\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("an audit entry must be well-formed JSON");
  }

  @Test
  void keepsWhatProposedACallThatDidNotComeFromChat() throws Exception {
    AuditEntry viaMcp = new AuditEntry(ENTRY.time(), "mcp", "A1", "", "U1", "mcp", Optional.empty(),
        "/v1/jenkins/build", Map.of(), AuditEntry.Outcome.DONE, 5, "", "mcp");
    assertThat(new String(AuditCodec.encode(viaMcp), StandardCharsets.UTF_8)).endsWith(",\"d\":5,\"v\":\"mcp\"}");
    assertThat(AuditCodec.decode(AuditCodec.encode(viaMcp))).isEqualTo(viaMcp);
    StringWriter out = new StringWriter();
    AuditCodec.writeLine(out, viaMcp);
    assertThat(out.toString()).endsWith("\"durationMs\":5,\"via\":\"mcp\"}\n");
    assertThat(ENTRY.via()).isEqualTo("chat");
  }

  @Test
  void exportsOneReadableLine() throws Exception {
    StringWriter out = new StringWriter();
    AuditCodec.writeLine(out, ENTRY);
    assertThat(out.toString()).isEqualTo("{\"time\":\"2030-01-01T00:00:00.250Z\",\"service\":\"slack\","
        + "\"event\":\"Ev1\",\"workspace\":\"T1\",\"user\":\"U1\",\"channel\":\"C1\",\"thread\":\"1700.1\","
        + "\"route\":\"/v1/jenkins/build\",\"attributes\":{\"BRANCH\":\"main\",\"ID\":\"api \\\"server\\\"\\n\"},"
        + "\"outcome\":\"timed_out\",\"durationMs\":30000,\"detail\":\"did not finish within 30 s\"}\n");
  }

  @Test
  void keysSortNewestFirstAndThenByTheRoutersSequence() {
    String older = AuditCodec.key(ENTRY, 1);
    AuditEntry later = new AuditEntry(ENTRY.time().plusMillis(1), "slack", "Ev2", "T1", "U1", "C1",
        Optional.empty(), "/v1/jenkins/build", Map.of(), AuditEntry.Outcome.DONE, 1, "");
    assertThat(AuditCodec.key(later, 2)).isLessThan(older);
    assertThat(AuditCodec.key(ENTRY, 2)).isLessThan(older);
    assertThat(older).startsWith("audit/8106543999749/9999999998").hasSize(6 + 13 + 1 + 10 + 22);
  }

  /** The key scheme before keys were built without joining and encoding strings: readers rely on it. */
  private static String keyAsBefore(AuditEntry entry, long sequence) throws Exception {
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((entry.service() + "\n"
        + entry.workspace() + "\n" + entry.eventId() + "\n" + entry.route()).getBytes(StandardCharsets.UTF_8));
    String ref = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
    String seq = Long.toString(9_999_999_999L - (sequence % 10_000_000_000L));
    return AuditCodec.timePrefix(entry.time().toEpochMilli()) + "/" + "0".repeat(10 - seq.length()) + seq + ref;
  }

  @Test
  void keysAreThoseOfTheFormerSchemeWhateverTheTextTimeAndSequence() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    String[] texts = {"", "slack", "T1", "Ev\u00e9\u4e2d\ud83d\ude00", "/v1/jenkins/build", "a\nb",
        "x".repeat(200), "\u0000\u007f\u0080"};
    long[] times = {0, 1, 1_893_456_000_250L, 9_999_999_999_999L, 12_345_678_901_234L};
    long[] sequences = {0, 1, 9_999_999_999L, 10_000_000_000L, 123_456_789_012L, Long.MAX_VALUE};
    for (int i = 0; i < 2000; i++) {
      AuditEntry entry = new AuditEntry(Instant.ofEpochMilli(times[random.nextInt(times.length)]),
          texts[random.nextInt(texts.length)], texts[random.nextInt(texts.length)], texts[random.nextInt(texts.length)],
          "U1", "C1", Optional.empty(), texts[random.nextInt(texts.length)], Map.of(), AuditEntry.Outcome.DONE, 1, "");
      long sequence = sequences[random.nextInt(sequences.length)];
      assertThat(AuditCodec.key(entry, sequence)).isEqualTo(keyAsBefore(entry, sequence));
    }
    assertThat(AuditCodec.key(ENTRY, 1)).isEqualTo("audit/8106543999749/9999999998" + java.util.Base64
        .getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
            .digest("slack\nT1\nEv1\n/v1/jenkins/build".getBytes(StandardCharsets.UTF_8))).substring(0, 22));
  }

  @Test
  void attributesAreStoredSortedByNameWhateverTheirNumber() {
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 40; i++) {
      many.put("K" + (i * 7919 % 40), "v" + i);
    }
    AuditEntry entry = new AuditEntry(ENTRY.time(), "slack", "Ev1", "T1", "U1", "C1", Optional.empty(), "r",
        many, AuditEntry.Outcome.DONE, 1, "");
    StringBuilder expected = new StringBuilder();
    new java.util.TreeMap<>(many).forEach((k, v) -> expected.append(expected.length() == 0 ? "" : ",")
        .append('"').append(k).append("\":\"").append(v).append('"'));
    assertThat(new String(AuditCodec.encode(entry), StandardCharsets.UTF_8)).contains("\"a\":{" + expected + "}");
    assertThat(AuditCodec.decode(AuditCodec.encode(entry))).isEqualTo(entry);
  }

  /** The compact form as jackson-core's generator wrote it before it was written straight into bytes. */
  private static byte[] encodeAsBefore(AuditEntry e) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
        .createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("t", e.time().toEpochMilli());
      g.writeStringField("s", e.service());
      g.writeStringField("e", e.eventId());
      g.writeStringField("w", e.workspace());
      g.writeStringField("u", e.user());
      g.writeStringField("c", e.channel());
      if (e.thread().isPresent()) {
        g.writeStringField("h", e.thread().get());
      }
      g.writeStringField("r", e.route());
      g.writeObjectFieldStart("a");
      for (Map.Entry<String, String> a : new java.util.TreeMap<>(e.attributes()).entrySet()) {
        g.writeStringField(a.getKey(), a.getValue());
      }
      g.writeEndObject();
      g.writeStringField("o", e.outcome().wireName());
      g.writeNumberField("d", e.durationMillis());
      if (!e.detail().isEmpty()) {
        g.writeStringField("m", e.detail());
      }
      if (!e.via().equals("chat")) {
        g.writeStringField("v", e.via());
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Test
  void storedBytesAreThoseOfTheGeneratorWhateverTheText() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    // escapes, every control character, DEL, two- and three-byte UTF-8, paired and lone surrogates
    String[] texts = {"", "slack", "api \"server\"\n", "back\\slash/", "\u0000\u0001\u001f\t\b\f\r\u007f",
        "\u0080\u00e9\u07ff\u0800\u4e2d\u2028\uffff", "\ud83d\ude00 smile", "lone \ud83d", "\ude00 lone",
        "x".repeat(5000), "\u00e9".repeat(3000)};
    long[] numbers = {0, 1, 9, 10, 1_893_456_000_250L, Long.MAX_VALUE, -1, -30_000, Long.MIN_VALUE};
    AuditEntry.Outcome[] outcomes = AuditEntry.Outcome.values();
    for (int i = 0; i < 3000; i++) {
      Map<String, String> attributes = new java.util.HashMap<>();
      for (int n = random.nextInt(4); n > 0; n--) {
        attributes.put(pick(random, texts) + n, pick(random, texts));
      }
      AuditEntry entry = new AuditEntry(Instant.ofEpochMilli(Math.floorMod(numbers[random.nextInt(numbers.length)],
          9_999_999_999_999L)), pick(random, texts), pick(random, texts), pick(random, texts), pick(random, texts),
          pick(random, texts), random.nextBoolean() ? Optional.empty() : Optional.of(pick(random, texts)),
          pick(random, texts), attributes, outcomes[random.nextInt(outcomes.length)],
          numbers[random.nextInt(numbers.length)], pick(random, texts),
          random.nextBoolean() ? "chat" : pick(random, texts));
      byte[] bytes = AuditCodec.encode(entry);
      assertThat(bytes).isEqualTo(encodeAsBefore(entry));
      if (noLoneSurrogate(entry.toString())) { // which Jackson's parser refuses, as it always did
        assertThat(AuditCodec.decode(bytes)).isEqualTo(entry);
      }
    }
  }

  private static boolean noLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String pick(java.util.SplittableRandom random, String[] texts) {
    return texts[random.nextInt(texts.length)];
  }
}
