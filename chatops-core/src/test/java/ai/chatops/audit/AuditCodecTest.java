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
}
