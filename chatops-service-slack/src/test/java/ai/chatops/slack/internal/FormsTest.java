package ai.chatops.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FormsTest {
  private static boolean acceptedByRequireUtf8(byte[] bytes) {
    try {
      Forms.requireUtf8(bytes);
      return true;
    } catch (BadRequestException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e).hasMessage("the request body is not valid UTF-8");
      return false;
    }
  }

  private static boolean acceptedByTheJdkDecoder(byte[] bytes) {
    try {
      Forms.utf8(bytes);
      return true;
    } catch (BadRequestException e) {
      return false;
    }
  }

  @Test
  void requireUtf8AcceptsExactlyWhatTheStrictDecoderAccepts() {
    SplittableRandom random = new SplittableRandom(20261127);
    int accepted = 0;
    for (int round = 0; round < 50_000; round++) {
      byte[] bytes = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < bytes.length; i++) {
        // Mostly the bytes where UTF-8's rules live: lead bytes, continuation bytes, their edges.
        bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x7f + random.nextInt(0x80));
      }
      boolean expected = acceptedByTheJdkDecoder(bytes);
      assertThat(acceptedByRequireUtf8(bytes)).as("bytes %s", java.util.HexFormat.of().formatHex(bytes))
          .isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).as("valid inputs among the random ones").isGreaterThan(250);
  }

  @Test
  void requireUtf8AgreesWithTheStrictDecoderWhereverASequenceFallsAmongAsciiBytes() {
    // ASCII is checked eight bytes at a time: put the interesting bytes at every offset from such a block.
    SplittableRandom random = new SplittableRandom(20261207);
    int accepted = 0;
    for (int round = 0; round < 50_000; round++) {
      int before = random.nextInt(18);
      int middle = 1 + random.nextInt(5);
      int after = random.nextInt(18);
      byte[] bytes = new byte[before + middle + after];
      for (int i = 0; i < bytes.length; i++) {
        boolean ascii = i < before || i >= before + middle;
        bytes[i] = (byte) (ascii ? 0x20 + random.nextInt(0x5f)
            : random.nextInt(4) == 0 ? random.nextInt(256) : 0x7f + random.nextInt(0x80));
      }
      boolean expected = acceptedByTheJdkDecoder(bytes);
      assertThat(acceptedByRequireUtf8(bytes)).as("bytes %s", java.util.HexFormat.of().formatHex(bytes))
          .isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).as("valid inputs among the random ones").isGreaterThan(250);
  }

  @Test
  void requireUtf8AcceptsEveryPlaneAndRefusesTheEdges() {
    Forms.requireUtf8("a \u00e9 \u20ac \uffff \ud83d\ude00 \udbff\udfff".getBytes(StandardCharsets.UTF_8));
    Forms.requireUtf8(new byte[0]);
    for (int[] bad : new int[][] {{0x80}, {0xc1, 0xbf}, {0xe0, 0x9f, 0xbf}, {0xed, 0xbf, 0xbf},
        {0xf0, 0x8f, 0xbf, 0xbf}, {0xf4, 0x90, 0x80, 0x80}, {0xf5, 0x80, 0x80, 0x80}, {0xe2, 0x82}, {0xff}}) {
      byte[] bytes = new byte[bad.length];
      for (int i = 0; i < bad.length; i++) {
        bytes[i] = (byte) bad[i];
      }
      assertThatThrownBy(() -> Forms.requireUtf8(bytes)).isInstanceOf(BadRequestException.class);
    }
  }
}
