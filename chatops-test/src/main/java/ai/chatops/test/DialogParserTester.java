package ai.chatops.test;

import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.plugin.Catalog;
import ai.chatops.plugin.Plugin;
import ai.chatops.service.ChatEvent;
import ai.chatops.store.InMemoryStore;
import ai.chatops.store.Store;
import ai.chatops.test.internal.Describe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one {@link DialogParser} in isolation, the way the router's chain runs it: give it a message, and check
 * whether it passed the turn on (and with which text), answered, invoked a route or stopped. The rest of the
 * chain is a fake that records what it received and answers what {@link #whenPassedOn} says (by default it
 * ignores the turn). For a parser's own collaborators the tester offers a {@link ScriptedNlu}, an
 * {@link InMemoryStore} and a {@link MutableClock}, and the catalog of the plugins it was given.
 *
 * <pre>{@code
 * DialogParserTester tester = DialogParserTester.forPlugins(new DeployPlugin());
 * DialogParser aliases = new TeamAliases(Map.of("payments", "billing"));
 *
 * tester.parse(aliases, "deploy payments to prod").expectPassedOn("deploy billing to prod");
 * tester.as("U9").in("C-random").parse(channelGuard, "deploy billing").expectReply("Not in this channel.");
 * }</pre>
 *
 * <p>Not thread-safe: use one tester from one test thread.
 */
public final class DialogParserTester {
  private final Catalog catalog;
  private final MutableClock clock = MutableClock.at(ConversationTester.DEFAULT_START);
  private final ScriptedNlu nlu = ScriptedNlu.create();
  private final Store store = InMemoryStore.create(clock);
  private final AtomicLong ids = new AtomicLong();
  private Outcome passedOnOutcome = Outcome.ignore("the rest of the chain (DialogParserTester)");
  private String user = RecordingService.DEFAULT_USER;
  private String channel = RecordingService.DEFAULT_CHANNEL;
  private String thread;

  private DialogParserTester(Catalog catalog) {
    this.catalog = catalog;
  }

  /** A tester whose turns carry the catalog of {@code plugins}: their routes, and guides from their training. */
  public static DialogParserTester forPlugins(Plugin... plugins) {
    return new DialogParserTester(Catalog.forPlugins(List.of(plugins)));
  }

  /** A tester whose turns carry {@code catalog}. */
  public static DialogParserTester forCatalog(Catalog catalog) {
    return new DialogParserTester(Objects.requireNonNull(catalog, "catalog"));
  }

  /** Makes {@code user} the speaker of the messages that follow ({@code U1} at the start). */
  public DialogParserTester as(String user) {
    this.user = Objects.requireNonNull(user, "user");
    return this;
  }

  /** Says the messages that follow in {@code channel} ({@code C1} at the start), outside any thread. */
  public DialogParserTester in(String channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.thread = null;
    return this;
  }

  /** Says the messages that follow in thread {@code ts}. */
  public DialogParserTester inThread(String ts) {
    this.thread = Objects.requireNonNull(ts, "ts");
    return this;
  }

  /** What the fake rest of the chain answers when the parser passes a turn on. */
  public DialogParserTester whenPassedOn(Outcome outcome) {
    this.passedOnOutcome = Objects.requireNonNull(outcome, "outcome");
    return this;
  }

  /** A scripted NLU engine for parsers that consult one. */
  public ScriptedNlu nlu() {
    return nlu;
  }

  /** An in-memory store on {@link #clock()}, for parsers that remember things. */
  public Store store() {
    return store;
  }

  /** The clock of {@link #store()}. */
  public MutableClock clock() {
    return clock;
  }

  /** The catalog every turn carries. */
  public Catalog catalog() {
    return catalog;
  }

  /**
   * Runs {@code parser} on {@code text} said by the current speaker where the tester is.
   *
   * @throws AssertionError when the parser returns null or passes the turn on twice, as the router's chain would
   *     refuse
   */
  public Result parse(DialogParser parser, String text) {
    Objects.requireNonNull(parser, "parser");
    ChatEvent.Builder event = ChatEvent.builder("test", "Ev" + ids.incrementAndGet())
        .workspace(RecordingService.DEFAULT_WORKSPACE).channel(channel).user(user).text(text).time(clock.instant());
    if (thread != null) {
      event.thread(thread);
    }
    Turn turn = Turn.of(event.build(), catalog);
    List<Turn> passed = new ArrayList<>();
    Outcome outcome = parser.parse(new DialogParser.Chain() {
      @Override
      public Turn turn() {
        return turn;
      }

      @Override
      public Outcome proceed(Turn next) {
        if (!passed.isEmpty()) {
          throw new AssertionError(parser + " passed the turn on twice; the router's chain allows once");
        }
        passed.add(Objects.requireNonNull(next, "turn"));
        return passedOnOutcome;
      }
    });
    if (outcome == null) {
      throw new AssertionError(parser + " returned null; return an Outcome (chain.proceed(turn) to pass on)");
    }
    return new Result(outcome, passed.isEmpty() ? null : passed.get(0));
  }

  /** What a parser made of one message. */
  public static final class Result {
    private final Outcome outcome;
    private final Turn passedOn;

    private Result(Outcome outcome, Turn passedOn) {
      this.outcome = outcome;
      this.passedOn = passedOn;
    }

    /** What the parser returned. */
    public Outcome outcome() {
      return outcome;
    }

    /** Expects the parser to have passed the turn on, with any text. */
    public Result expectPassedOn() {
      if (passedOn == null) {
        throw new AssertionError("Expected the parser to pass the turn on, but it stopped with " + describe());
      }
      return this;
    }

    /** Expects the parser to have passed the turn on with exactly {@code text}. */
    public Result expectPassedOn(String text) {
      expectPassedOn();
      if (!passedOn.text().equals(text)) {
        throw new AssertionError("Expected the parser to pass on:\n" + Describe.indent(text)
            + "\nbut it passed on:\n" + Describe.indent(passedOn.text()));
      }
      return this;
    }

    /** Expects the parser to have stopped the turn: not passed on. */
    public Result expectStopped() {
      if (passedOn != null) {
        throw new AssertionError("Expected the parser to stop the turn, but it passed on:\n"
            + Describe.indent(passedOn.text()));
      }
      return this;
    }

    /** Expects the parser to have answered with exactly this plain text, without passing the turn on. */
    public Result expectReply(String text) {
      expectStopped();
      if (outcome.kind() != Outcome.Kind.REPLY || !outcome.reply().orElseThrow().toPlainText().equals(text)) {
        throw new AssertionError("Expected the reply:\n" + Describe.indent(text) + "\nbut the parser returned "
            + describe());
      }
      return this;
    }

    /** Expects the parser to have ignored the message, without passing the turn on. */
    public Result expectIgnored() {
      expectStopped();
      if (outcome.kind() != Outcome.Kind.IGNORE) {
        throw new AssertionError("Expected the parser to ignore the message, but it returned " + describe());
      }
      return this;
    }

    /** Expects the outcome (the parser's own, or the one it passed back) to invoke {@code route} with exactly these attributes. */
    public Result expectInvoke(String route, Map<String, String> attributes) {
      if (outcome.kind() != Outcome.Kind.INVOKE || !outcome.route().orElseThrow().path().equals(route)
          || !outcome.attributes().equals(attributes)) {
        throw new AssertionError("Expected an invocation of " + route + " " + Describe.attributes(attributes)
            + ", but the parser returned " + describe());
      }
      return this;
    }

    private String describe() {
      switch (outcome.kind()) {
        case REPLY:
          return "the reply:\n" + Describe.indent(outcome.reply().orElseThrow().toPlainText());
        case INVOKE:
          return "an invocation of " + outcome.route().orElseThrow().path() + " "
              + Describe.attributes(outcome.attributes());
        default:
          return "nothing (ignored: " + outcome.reason() + ")";
      }
    }
  }

  @Override
  public String toString() {
    return "DialogParserTester{" + catalog.plugins().size() + " plugins, " + user + " in " + channel + "}";
  }
}
