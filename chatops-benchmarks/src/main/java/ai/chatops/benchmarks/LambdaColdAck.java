package ai.chatops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Lambda cold start up to the acknowledgement: a fresh JVM runs the real AWS Lambda runtime interface client
 * ({@code aws-lambda-java-runtime-interface-client}) with a handler, against a loopback stand-in of the Lambda
 * Runtime API that hands it one API Gateway (REST, payload 1.0) event carrying a signed Slack
 * {@code app_mention}. The figure is the time from just before the process is started to the moment the
 * function's response is posted back to the stand-in: class loading, the handler's initialisation, the first
 * invocation (signature, parsing, and for ours the dedupe record and the hand-off to the queue), as Lambda's
 * init and invoke phases would spend it.
 *
 * <p>Both candidates run with the flags of Lambda's managed Java runtime
 * ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}) and the same classpath.
 */
final class LambdaColdAck {
  static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  static final List<String> LAMBDA_FLAGS =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LambdaColdAck() {}

  /** The result of one cold acknowledgement: milliseconds from process start, and the function's response. */
  record Ack(long millis, String response) {}

  /**
   * Starts {@code java} with the runtime interface client and {@code handler}, hands it one signed mention
   * and returns when its response was posted back; the process is then stopped.
   */
  static Ack measure(String javaCommand, List<String> jvmFlags, String classpath, String handler,
      Map<String, String> env, String eventId) throws Exception {
    SignedEvents.Signed signed = SignedEvents.mention(eventId, System.currentTimeMillis() / 1000);
    try (RuntimeApiStandIn api = new RuntimeApiStandIn(apiGatewayEvent(signed))) {
      List<String> command = new ArrayList<>(List.of(javaCommand));
      command.addAll(jvmFlags);
      command.addAll(List.of("-cp", classpath, RIC_MAIN, handler + "::handleRequest"));
      Path log = Files.createTempFile("lambda-cold-ack", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      builder.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port());
      builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "cold-ack");
      builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
      builder.environment().put("AWS_REGION", "us-east-1");
      long started = System.nanoTime();
      Process process = builder.start();
      try {
        String response = api.response.get(60, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(api.respondedAt - started);
        return new Ack(millis, response);
      } catch (TimeoutException e) {
        throw new IllegalStateException(handler + " did not respond within 60 s; its output:\n" + Files.readString(log), e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(handler + " failed: " + e.getCause().getMessage() + "; its output:\n"
            + Files.readString(log), e);
      } finally {
        process.destroyForcibly().waitFor();
        Files.deleteIfExists(log);
      }
    }
  }

  /** The status code of a function's API Gateway response. */
  static int statusCode(String response) throws IOException {
    return JSON.readTree(response).path("statusCode").asInt(-1);
  }

  /** An API Gateway REST API proxy event (payload 1.0) with the signed request, as API Gateway sends it. */
  static byte[] apiGatewayEvent(SignedEvents.Signed signed) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    event.put("resource", SignedEvents.PATH);
    event.put("path", SignedEvents.PATH);
    event.put("httpMethod", "POST");
    ObjectNode headers = event.putObject("headers");
    headers.put("Content-Type", "application/json");
    headers.put("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)");
    headers.put("X-Slack-Request-Timestamp", signed.timestamp());
    headers.put("X-Slack-Signature", signed.signature());
    ObjectNode multi = event.putObject("multiValueHeaders");
    headers.fields().forEachRemaining(h -> multi.putArray(h.getKey()).add(h.getValue().asText()));
    event.putNull("queryStringParameters");
    event.putNull("multiValueQueryStringParameters");
    event.putNull("pathParameters");
    event.putNull("stageVariables");
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "123456789012");
    context.put("resourceId", "r0bench");
    context.put("stage", "prod");
    context.put("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    context.put("resourcePath", SignedEvents.PATH);
    context.put("httpMethod", "POST");
    context.put("apiId", "a0bench");
    ObjectNode identity = context.putObject("identity");
    identity.put("sourceIp", "127.0.0.1");
    identity.put("userAgent", "Slackbot 1.0 (+https://api.slack.com/robots)");
    event.put("body", signed.bodyText());
    event.put("isBase64Encoded", false);
    return JSON.writeValueAsBytes(event);
  }

  /**
   * The Lambda Runtime API on loopback, port 0: hands out one invocation on the first
   * {@code GET /2018-06-01/runtime/invocation/next} (and holds later ones until closed), and completes
   * {@link #response} with the body the function posts back, or exceptionally with its error.
   */
  static final class RuntimeApiStandIn implements AutoCloseable {
    private static final String REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";
    final CompletableFuture<String> response = new CompletableFuture<>();
    volatile long respondedAt;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "runtime-api-stand-in");
      t.setDaemon(true);
      return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final byte[] event;
    private boolean handedOut;

    RuntimeApiStandIn(byte[] event) throws IOException {
      this.event = event;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      server.setExecutor(threads);
      server.createContext("/2018-06-01/runtime/", this::handle);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/invocation/next")) {
        boolean first;
        synchronized (this) {
          first = !handedOut;
          handedOut = true;
        }
        if (!first) {
          try {
            closed.await(); // Lambda freezes the function here; the harness stops it
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
          return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", REQUEST_ID);
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
            Long.toString(System.currentTimeMillis() + 30_000));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
            "arn:aws:lambda:us-east-1:123456789012:function:cold-ack");
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
        send(exchange, 200, event);
      } else if (path.endsWith("/invocation/" + REQUEST_ID + "/response")) {
        respondedAt = System.nanoTime();
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        response.complete(new String(body, StandardCharsets.UTF_8));
      } else if (path.endsWith("/error")) {
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        response.completeExceptionally(new IllegalStateException(path + ": " + new String(body, StandardCharsets.UTF_8)));
      } else {
        send(exchange, 404, new byte[0]);
      }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }

    @Override
    public void close() {
      closed.countDown();
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
