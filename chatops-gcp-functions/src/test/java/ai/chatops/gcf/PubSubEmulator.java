package ai.chatops.gcf;

import ai.chatops.test.emulators.GcloudEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Google's Pub/Sub emulator (Debian package {@code google-cloud-cli-pubsub-emulator}), started by the tests
 * through the shared {@link GcloudEmulator} launcher and stopped after them, with a few REST calls to set up
 * topics and push subscriptions; skipped with a warning where it is not installed, a failure under CI.
 */
final class PubSubEmulator implements AutoCloseable {
  static final String PACKAGE = "google-cloud-cli-pubsub-emulator";
  static final String PROJECT = "chatops-test";
  private static final GcloudEmulator.Spec SPEC = new GcloudEmulator.Spec("Pub/Sub", PACKAGE,
      "platform/pubsub-emulator/bin/cloud-pubsub-emulator",
      (launcher, port, directory) -> List.of(List.of(launcher, "--host=127.0.0.1", "--port=" + port)));

  private final GcloudEmulator emulator;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PubSubEmulator(GcloudEmulator emulator) {
    this.emulator = emulator;
  }

  /** Starts the emulator and waits until its health check answers. */
  static PubSubEmulator start() {
    return new PubSubEmulator(GcloudEmulator.start(SPEC));
  }

  /** {@code http://127.0.0.1:port}: the REST endpoint, as {@code PUBSUB_EMULATOR_HOST} names it. */
  URI endpoint() {
    return emulator.endpoint();
  }

  /** Creates a topic. */
  void createTopic(String topic) {
    call("PUT", "/v1/projects/" + PROJECT + "/topics/" + topic, "{}");
  }

  /** Creates a push subscription of {@code topic} delivering to {@code pushEndpoint}. */
  void createPushSubscription(String subscription, String topic, String pushEndpoint) {
    call("PUT", "/v1/projects/" + PROJECT + "/subscriptions/" + subscription,
        "{\"topic\":\"projects/" + PROJECT + "/topics/" + topic + "\",\"pushConfig\":{\"pushEndpoint\":\""
            + pushEndpoint + "\"},\"ackDeadlineSeconds\":10}");
  }

  /** Deletes a subscription: its messages are no longer pushed. */
  void deleteSubscription(String subscription) {
    call("DELETE", "/v1/projects/" + PROJECT + "/subscriptions/" + subscription, "");
  }

  /** Publishes one message whose data is {@code base64}. */
  void publish(String topic, String base64) {
    call("POST", "/v1/projects/" + PROJECT + "/topics/" + topic + ":publish",
        "{\"messages\":[{\"data\":\"" + base64 + "\"}]}");
  }

  private String call(String method, String path, String body) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(emulator.endpoint().resolve(path))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String log() {
    return emulator.log();
  }

  @Override
  public void close() {
    emulator.close();
  }
}
