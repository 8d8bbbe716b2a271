package ai.chatops.benchmarks;

import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One signed {@code app_mention} per operation, through the floor, Bolt for Java and our router. Every
 * thread cycles through its own ring of {@value #RING} pre-signed events with distinct {@code event_id}s.
 * The router's clock moves one second per event and its dedupe window is one hour, so at most 3,600 dedupe
 * records are live (a bot receiving one event per second) and a ring's event is expired when it comes round
 * again. Ours processes each event on the calling thread ({@link CallerRunsExecutor}): an operation ends
 * when the reply was handed to the counting sender.
 *
 * <p>Run all with {@code java -jar chatops-benchmarks/target/benchmarks.jar PerEventBenchmark}, or the whole
 * comparison with {@link Report}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PerEventBenchmark {
  static final int RING = 8192;
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Our router, shared by the benchmark's threads. */
  @State(Scope.Benchmark)
  public static class Ours {
    ChatopsBot bot;

    @Setup(Level.Trial)
    public void setUp() {
      bot = ChatopsBot.synchronous();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      // slackReceive delivers nothing; the others must have answered pong.
      if (bot.slack.delivered() > 0 && !bot.slack.lastText().equals("pong")) {
        throw new IllegalStateException("ours replied '" + bot.slack.lastText() + "', not pong");
      }
      bot.close();
    }
  }

  /** The Bolt app and its auth.test stand-in, shared by the benchmark's threads. */
  @State(Scope.Benchmark)
  public static class Theirs {
    BoltBot.AuthStandIn standIn;
    BoltBot bot;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      standIn = new BoltBot.AuthStandIn();
      bot = new BoltBot(standIn.apiUrl());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (bot.mentions.get() == 0 || standIn.calls.get() > 5) {
        throw new IllegalStateException("Bolt's listener ran " + bot.mentions.get() + " times; auth.test "
            + standIn.calls.get() + " times");
      }
      standIn.close();
    }
  }

  /** A thread's ring of signed events, in the form each candidate takes. */
  @State(Scope.Thread)
  public static class Events {
    Signed[] floor;
    WebhookRequest[] chatops;
    WebhookRequest[] grammar;
    SlackRequestParser.HttpRequest[] bolt;
    int next;

    record Signed(byte[] body, String timestamp, String signature) {}

    @Setup(Level.Trial)
    public void setUp() {
      int thread = THREADS.incrementAndGet();
      long now = System.currentTimeMillis() / 1000;
      floor = new Signed[RING];
      chatops = new WebhookRequest[RING];
      grammar = new WebhookRequest[RING];
      bolt = new SlackRequestParser.HttpRequest[RING];
      for (int i = 0; i < RING; i++) {
        SignedEvents.Signed s = SignedEvents.mention("Ev0T" + thread + "N" + i, now);
        floor[i] = new Signed(s.body(), s.timestamp(), s.signature());
        chatops[i] = s.toWebhookRequest();
        grammar[i] = SignedEvents.mention("Ev0T" + thread + "G" + i, "<@" + SignedEvents.BOT_USER + "> bot ping", now)
            .toWebhookRequest();
        bolt[i] = s.toBoltRequest();
      }
    }

    int next() {
      int i = next;
      next = (i + 1) & (RING - 1);
      return i;
    }
  }

  @Benchmark
  public JsonNode floor(Events events) throws Exception {
    Events.Signed s = events.floor[events.next()];
    return Floor.handle(s.body(), s.timestamp(), s.signature());
  }

  @Benchmark
  public Response bolt(Theirs apps, Events events) throws Exception {
    Response response = apps.bot.handle(events.bolt[events.next()]);
    if (response.getStatusCode() != 200) {
      throw new IllegalStateException("Bolt answered " + response.getStatusCode() + ": " + response.getBody());
    }
    return response;
  }

  @Benchmark
  public WebhookResponse chatops(Ours apps, Events events) {
    apps.bot.clock.advanceMillis(1000);
    WebhookResponse response = apps.bot.handle(events.chatops[events.next()]);
    if (response.status() != 200) {
      throw new IllegalStateException("ours answered " + response.status() + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return response;
  }

  /** For the profile: ours with {@code bot ping}, which the explicit grammar takes before the local NLU. */
  @Benchmark
  public WebhookResponse chatopsGrammar(Ours apps, Events events) {
    apps.bot.clock.advanceMillis(1000);
    WebhookResponse response = apps.bot.handle(events.grammar[events.next()]);
    if (response.status() != 200) {
      throw new IllegalStateException("ours answered " + response.status());
    }
    return response;
  }

  /** For the profile: only {@code SlackService.receive} (signature, timestamp, parsing into a ChatEvent). */
  @Benchmark
  public ai.chatops.service.Received slackReceive(Ours apps, Events events) {
    return apps.bot.slack.receive(events.chatops[events.next()]);
  }
}
