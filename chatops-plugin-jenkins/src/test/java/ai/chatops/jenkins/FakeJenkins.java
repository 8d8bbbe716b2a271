package ai.chatops.jenkins;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.PluginConfig;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Status;
import ai.chatops.service.ChatEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A MockWebServer answering as Jenkins does, under {@code /jenkins/}, with helpers to connect a plugin to it,
 * invoke routes and read the requests Jenkins received. Close it after each test.
 */
final class FakeJenkins implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String USER = "chatops-bot";
  static final String TOKEN = "11aa22bb33cc";
  static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + TOKEN).getBytes());

  final MockWebServer server = new MockWebServer();
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  FakeJenkins() {
    try {
      server.start(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jenkins' root URL, ending in {@code /}. */
  String root() {
    return server.url("/jenkins/").toString();
  }

  Map<String, String> credentials() {
    Map<String, String> credentials = new LinkedHashMap<>();
    credentials.put("JENKINS_URL", root());
    credentials.put("JENKINS_USER", USER);
    credentials.put("JENKINS_API_TOKEN", TOKEN);
    return credentials;
  }

  /** A connected plugin with fast polling. */
  JenkinsPlugin plugin(JenkinsPlugin.Builder builder) {
    JenkinsPlugin plugin = builder.build();
    plugin.connect(context(plugin, credentials()));
    return plugin;
  }

  JenkinsPlugin plugin() {
    return plugin(fast());
  }

  static JenkinsPlugin.Builder fast() {
    return JenkinsPlugin.builder().pollInterval(java.time.Duration.ofMillis(10))
        .maxPollInterval(java.time.Duration.ofMillis(40)).requestTimeout(java.time.Duration.ofSeconds(5));
  }

  PluginContext context(JenkinsPlugin plugin, Map<String, String> credentials) {
    PluginConfig config = plugin.config();
    Credentials merged = config.credentials().withOverrides(credentials);
    return new PluginContext() {
      @Override
      public PluginConfig config() {
        return config;
      }

      @Override
      public Credentials credentials() {
        return merged;
      }

      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public Map<String, Status> healthChecks() {
        return Map.of();
      }
    };
  }

  static Invocation invocation(JenkinsPlugin plugin, String action, Map<String, String> attributes) {
    ChatEvent event = ChatEvent.builder("test", "E1").workspace("W1").channel("C1").user("U1")
        .text("jenkins " + action).time(NOW).build();
    return new Invocation(plugin.config().routeForAction(action).orElseThrow(), attributes, event);
  }

  static Action trigger(JenkinsPlugin plugin, String action, Map<String, String> attributes) {
    return plugin.trigger(invocation(plugin, action, attributes));
  }

  /** JSON with single quotes for readability. */
  static String j(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  void json(String body) {
    respond(200, j(body));
  }

  void respond(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
        .addHeader("X-Jenkins", "2.452.1").body(body).build());
  }

  void html(int code, String status, String body) {
    server.enqueue(new MockResponse.Builder().status("HTTP/1.1 " + code + " " + status)
        .addHeader("Content-Type", "text/html;charset=utf-8").body(body).build());
  }

  /** 201 (or 303) with the queue item in Location, as build and buildWithParameters answer. */
  void queued(int code, long item) {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("Location", root() + "queue/item/" + item + "/")
        .build());
  }

  /** A request that gets no answer at all. */
  void silence() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
  }

  RecordedRequest take() {
    try {
      RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
      if (request == null) {
        throw new AssertionError("Jenkins received no request within 5 s");
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next request as {@code METHOD target}. */
  String next() {
    RecordedRequest request = take();
    return request.getMethod() + " " + request.getTarget();
  }

  int requestCount() {
    return server.getRequestCount();
  }

  @Override
  public void close() {
    server.close();
  }

  /** A job document as {@code /job/x/api/json} answers it. */
  static String freestyle(String name, String params) {
    return j("{'_class':'hudson.model.FreeStyleProject','name':'" + name + "','url':'http://ci/job/" + name
        + "/','color':'blue','buildable':true,'property':[" + (params.isEmpty() ? ""
        : "{'_class':'hudson.model.ParametersDefinitionProperty','parameterDefinitions':[" + params + "]}")
        + "],'builds':[],'lastBuild':null}");
  }
}
