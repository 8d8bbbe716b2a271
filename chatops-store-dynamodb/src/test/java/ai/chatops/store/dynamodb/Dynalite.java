package ai.chatops.store.dynamodb;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs dynalite, an open-source DynamoDB implementation (npm), for the tests: one process for the whole test
 * run, on a loopback port it picks itself, stopped when the run ends. dynalite must have been installed with
 * {@code npm ci} in this module; without it the tests fail and say so. Public, in this module's test jar, so
 * that other modules' tests can start it with {@link Server#start(Path)}.
 */
public final class Dynalite implements BeforeAllCallback {
  /** The longest dynalite may take to start on a busy machine. */
  private static final long START_TIMEOUT_SECONDS = 60;

  private Server server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = context.getRoot().getStore(ExtensionContext.Namespace.create(Dynalite.class))
        .getOrComputeIfAbsent(Server.class, key -> Server.start(Path.of("").toAbsolutePath()), Server.class);
  }

  /** The endpoint dynalite serves, such as {@code http://127.0.0.1:41234}. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port);
  }

  /** A client of dynalite with test credentials; close it after use. */
  DynamoDbClient client() {
    return client(endpoint(), StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
  }

  public static DynamoDbClient client(URI endpoint, AwsCredentialsProvider credentials) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.builder().build())
        .build();
  }

  /** The dynalite process; closed by JUnit when the root context closes, at the end of the run. */
  public static final class Server implements AutoCloseable {
    private final Process process;
    private final int port;

    private Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    /** Starts dynalite from {@code module}, the chatops-store-dynamodb folder. */
    public static Server start(Path module) {
      if (!Files.isDirectory(module.resolve("node_modules/dynalite"))) {
        throw new IllegalStateException("dynalite is not installed in " + module.resolve("node_modules")
            + ": run `npm ci` in chatops-store-dynamodb (the DynamoDB tests run against dynalite)");
      }
      Path log = module.resolve("target/dynalite.log");
      Process process;
      try {
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder("node", "src/test/node/dynalite-server.js")
            .directory(module.toFile())
            .redirectError(log.toFile())
            .start();
      } catch (IOException e) {
        throw new IllegalStateException("could not start node: install Node.js (apt-get install nodejs npm)"
            + " and run `npm ci` in chatops-store-dynamodb", e);
      }
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
      CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          return null;
        }
      });
      String line;
      try {
        line = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("interrupted while starting dynalite", e);
      } catch (ExecutionException | TimeoutException e) {
        process.destroyForcibly();
        throw new IllegalStateException("dynalite did not start within " + START_TIMEOUT_SECONDS + " s; see "
            + log, e);
      }
      if (line == null || !line.startsWith("listening ")) {
        process.destroyForcibly();
        throw new IllegalStateException("dynalite did not start (it printed " + line + "); see " + log);
      }
      return new Server(process, Integer.parseInt(line.substring("listening ".length()).trim()));
    }

    /** The endpoint dynalite serves, such as {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
      return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws IOException {
      // Closing stdin ends the script; destroy() is the fallback.
      process.getOutputStream().close();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroy();
          if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
