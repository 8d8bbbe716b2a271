package ai.chatops.mcp;

import ai.chatops.BadRequestException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A host as small as the example's: the JDK HTTP server on a loopback port, every request to the router. */
final class LoopbackHost implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  LoopbackHost(EventRouter router) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> serve(router, exchange));
    server.setExecutor(threads);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void serve(EventRouter router, HttpExchange exchange) throws IOException {
    try (exchange) {
      WebhookRequest.Builder request = WebhookRequest.builder(exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath());
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        for (String value : header.getValue()) {
          request.header(header.getKey(), value);
        }
      }
      WebhookResponse response;
      try (InputStream body = exchange.getRequestBody()) {
        response = router.handle(request.body(body, router.maxBodyBytes()).build());
      } catch (BadRequestException e) {
        response = WebhookResponse.text(e.status(), e.getMessage());
      }
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] bytes = response.body();
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
