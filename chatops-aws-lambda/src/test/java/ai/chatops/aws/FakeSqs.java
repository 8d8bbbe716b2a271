package ai.chatops.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A MockWebServer on 127.0.0.1 speaking the AWS JSON 1.0 protocol of SQS's SendMessage: it records each
 * message body and answers with a message id and the body's MD5, which the SDK checks. {@link #failing}
 * makes it answer 500 instead.
 */
final class FakeSqs implements AutoCloseable {
  static final String QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/chatops-events";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final MockWebServer server = new MockWebServer();
  final List<JsonNode> sent = new CopyOnWriteArrayList<>();
  final List<String> targets = new CopyOnWriteArrayList<>();
  volatile boolean failing;
  private final SqsClient client;

  FakeSqs() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        targets.add(String.valueOf(request.getHeaders().get("X-Amz-Target")));
        if (failing) {
          return new MockResponse.Builder().code(500)
              .addHeader("Content-Type", "application/x-amz-json-1.0")
              .body("{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"queue unavailable\"}").build();
        }
        JsonNode body;
        try {
          body = MAPPER.readTree(request.getBody().utf8());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        sent.add(body);
        String messageBody = body.path("MessageBody").asText();
        String answer = MAPPER.createObjectNode()
            .put("MessageId", UUID.randomUUID().toString())
            .put("MD5OfMessageBody", md5(messageBody))
            .toString();
        return new MockResponse.Builder().code(200)
            .addHeader("Content-Type", "application/x-amz-json-1.0").body(answer).build();
      }
    });
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client = SqsClient.builder()
        .endpointOverride(URI.create(server.url("/").toString()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  SqsClient client() {
    return client;
  }

  /** The message bodies sent so far. */
  List<String> bodies() {
    return sent.stream().map(n -> n.path("MessageBody").asText()).toList();
  }

  static String md5(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
