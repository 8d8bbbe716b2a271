package ai.chatops.teams;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the token check. An input starting with {@code raw:} is the Authorization header as it is; any other
 * is a JWS header, a newline, and a claims set, signed here with the published key (RS256) whatever the
 * header says, so that the fuzzer reaches every check after the signature. The body is a valid activity.
 * Seeds under {@code TeamsTokenFuzzTestInputs/token}; the check is {@link TeamsFuzzing#check}.
 */
class TeamsTokenFuzzTest {
  private static final TeamsFuzzing FUZZING = new TeamsFuzzing();
  private static final byte[] BODY = FUZZING.bf.message("act-fuzz", "bot ping").toString()
      .getBytes(StandardCharsets.UTF_8);

  @AfterAll
  static void close() {
    FUZZING.close();
  }

  @FuzzTest(maxDuration = TeamsFuzzing.DURATION)
  void token(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String authorization;
    if (text.startsWith("raw:")) {
      authorization = text.substring(4);
    } else {
      int split = text.indexOf('\n');
      String header = split < 0 ? text : text.substring(0, split);
      String claims = split < 0 ? "" : text.substring(split + 1)
          .replace("SERVICE_URL", FUZZING.bf.serviceUrl()).replace("APP_ID", BotFramework.APP_ID);
      authorization = "Bearer " + signed(header, claims);
    }
    FUZZING.check(FUZZING.request(authorization, BODY));
  }

  private static String signed(String header, String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(BotFramework.privateKey());
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
