package ai.chatops.test;

import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluEngine;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.service.Reply;
import ai.chatops.store.Store;
import ai.chatops.test.RecordingService.Delivery;
import ai.chatops.test.internal.Describe;
import ai.chatops.test.internal.RecordingPlugin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Talks to a bot the way a user does and checks what it answers, in the spirit of Bot Framework's
 * {@code TestFlow} and Errbot's {@code testbot}: a real {@link EventRouter} with your plugins, a
 * {@link RecordingService} as the chat platform, the embedded local NLU trained on your plugins' own
 * {@code intents/}, {@code entities/} and {@code data/} (as the real bot; a {@link ScriptedNlu} only when the
 * builder is given one) and a {@link MutableClock}.
 *
 * <pre>{@code
 * try (ConversationTester tester = ConversationTester.builder()
 *     .plugin(new JenkinsPlugin(), Map.of("JENKINS_URL", server.url("/").toString()))
 *     .build()) {
 *   tester.say("jenkins build ID=api")
 *       .expectReply("Queued api on main")
 *       .expectInvocation("/v1/jenkins/build", Map.of("ID", "api"));
 *   tester.as("U2").inThread("1700.01").say("build api on main")
 *       .expectReplyContaining("Queued");
 *   tester.say("hello there").expectReply("Sorry, I didn't understand that. Say `help` to see what I can do.");
 *   tester.say("bot ping").expectReply("pong").redeliver().expectNoReply();
 * }
 * }</pre>
 *
 * <p>Every message goes the whole way a platform's request goes: {@link EventRouter#handle} (the tester
 * checks the acknowledgement is 200), deduplication, the dialog chain, the plugin on a worker thread and
 * the delivered reply. Each plugin is wrapped so that the tester records what it was invoked with. The
 * router has one worker thread unless {@link Builder#customize customized}, so messages are handled one at a
 * time in the order they were said and replies come in that order. Expectations take replies (and
 * invocations) oldest first, waiting for each up to the reply timeout (5 s by default); nothing sleeps.
 *
 * <p>Failed expectations throw {@link AssertionError} saying what was expected and what came instead. The
 * speaker, channel and thread set by {@link #as}, {@link #in} and {@link #inThread} hold for the messages
 * that follow. Not thread-safe: use one tester from one test thread. {@link #close()} closes the router and
 * with it the plugins.
 */
public final class ConversationTester implements AutoCloseable {
  /** The time the tester's clock shows at the start unless another clock is given. */
  public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

  private final EventRouter router;
  private final RecordingService service;
  private final MutableClock clock;
  private final NluEngine nlu;
  private final Duration timeout;
  private final LinkedBlockingQueue<Invocation> pendingInvocations = new LinkedBlockingQueue<>();
  private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  private String user = RecordingService.DEFAULT_USER;
  private String channel = RecordingService.DEFAULT_CHANNEL;
  private String thread;
  private Delivery lastWithChoices;
  private WebhookRequest lastRequest;
  private String lastText;

  private ConversationTester(Builder b) {
    this.clock = b.clock != null ? b.clock : MutableClock.at(DEFAULT_START);
    this.nlu = b.nlu != null ? b.nlu : localNlu(b.plugins);
    this.timeout = b.replyTimeout;
    this.service = RecordingService.builder().clock(clock).replyTimeout(timeout).build();
    EventRouter.Builder router = EventRouter.builder()
        .service(service)
        .nlu(nlu)
        .clock(clock)
        .workerThreads(1);
    if (b.store != null) {
      router.store(b.store);
    }
    for (int i = 0; i < b.plugins.size(); i++) {
      router.plugin(new RecordingPlugin(b.plugins.get(i), this::record), b.credentials.get(i));
    }
    for (Consumer<EventRouter.Builder> customization : b.customizations) {
      customization.accept(router);
    }
    this.router = router.build();
  }

  // The engine the router trains by default, trained here so that nlu() can hand it out.
  private static NluEngine localNlu(List<Plugin> plugins) {
    List<TrainingSet> sets = new ArrayList<>();
    for (Plugin plugin : plugins) {
      plugin.trainingSet().ifPresent(sets::add);
    }
    return LocalNlu.train(sets);
  }

  /** Starts building a tester. */
  public static Builder builder() {
    return new Builder();
  }

  /** A tester for {@code plugins}, with the credentials of their {@code config.yaml} and the local NLU. */
  public static ConversationTester forPlugins(Plugin... plugins) {
    Builder builder = builder();
    for (Plugin plugin : plugins) {
      builder.plugin(plugin);
    }
    return builder.build();
  }

  private void record(Invocation invocation) {
    invocations.add(invocation);
    pendingInvocations.add(invocation);
  }

  // ---------------------------------------------------------------- who speaks where

  /** Makes {@code user} the speaker of the messages that follow ({@code U1} at the start). */
  public ConversationTester as(String user) {
    this.user = Objects.requireNonNull(user, "user");
    return this;
  }

  /** Says the messages that follow in {@code channel} ({@code C1} at the start), outside any thread. */
  public ConversationTester in(String channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.thread = null;
    return this;
  }

  /** Says the messages that follow in the thread {@code ts} of the current channel. */
  public ConversationTester inThread(String ts) {
    this.thread = Objects.requireNonNull(ts, "ts");
    return this;
  }

  /** Says the messages that follow in the current channel, outside any thread. */
  public ConversationTester outOfThread() {
    this.thread = null;
    return this;
  }

  // ---------------------------------------------------------------- saying things

  /**
   * Says {@code text} as the current speaker, where the tester currently is, with a fresh event id.
   *
   * @throws AssertionError when the router does not acknowledge it with 200
   */
  public ConversationTester say(String text) {
    RecordingService.RequestBuilder request = service.request().user(user).channel(channel).text(text);
    if (thread != null) {
      request.thread(thread);
    }
    return send(request.build(), text);
  }

  /**
   * Delivers the last message again with the same event id, as a platform does when it did not get the
   * acknowledgement in time. The router acknowledges it and does not process it a second time.
   *
   * @throws IllegalStateException when nothing was said yet
   * @throws AssertionError when the router does not acknowledge it with 200
   */
  public ConversationTester redeliver() {
    if (lastRequest == null) {
      throw new IllegalStateException("nothing was said yet, so there is nothing to redeliver");
    }
    return send(lastRequest, lastText);
  }

  private ConversationTester send(WebhookRequest request, String text) {
    WebhookResponse response = router.handle(request);
    if (response.status() != 200) {
      throw new AssertionError("Expected the router to acknowledge \"" + text + "\" with 200, but it answered "
          + response.status() + ": " + response.bodyAsString());
    }
    lastRequest = request;
    lastText = text;
    return this;
  }

  // ---------------------------------------------------------------- replies

  /**
   * Takes the next reply, waiting for it up to the reply timeout.
   *
   * @throws AssertionError when none comes in time
   */
  public Delivery nextReply() {
    return takeReply("a reply", ", ");
  }

  /**
   * Expects the whole of the next reply, as plain text ({@link Reply#toPlainText()}, which is
   * {@link ai.chatops.plugin.Action#toPlainText()}: the sentence, then fields, link and choices one per line),
   * to be exactly {@code text}. For the sentence alone ({@code Action.text()}), use {@link #expectText}.
   */
  public ConversationTester expectReply(String text) {
    Objects.requireNonNull(text, "text");
    String expectation = "the reply:\n" + Describe.indent(text) + "\n";
    Delivery reply = takeReply(expectation, "");
    if (!reply.text().equals(text)) {
      throw mismatch(expectation, reply);
    }
    return this;
  }

  /**
   * Expects the next reply's sentence ({@link Reply#text()}, which is {@link ai.chatops.plugin.Action#text()}
   * in every tester) to be exactly {@code text}; its fields, link and choices are not compared.
   */
  public ConversationTester expectText(String text) {
    Objects.requireNonNull(text, "text");
    String expectation = "a reply whose text is:\n" + Describe.indent(text) + "\n";
    Delivery reply = takeReply(expectation, "");
    if (!reply.reply().text().equals(text)) {
      throw mismatch(expectation, reply);
    }
    return this;
  }

  /**
   * Expects the next reply to offer exactly these choices, by label, in order; {@link #click} then picks one.
   */
  public ConversationTester expectChoices(String... labels) {
    List<String> expected = List.of(labels);
    String expectation = "a reply offering the choices " + expected + ", ";
    Delivery reply = takeReply(expectation, "");
    List<String> offered = reply.reply().choices().stream().map(Reply.Choice::label).toList();
    if (!offered.equals(expected)) {
      throw new AssertionError("Expected " + expectation + "but the bot offered " + offered + " in:\n"
          + Describe.indent(reply.text()));
    }
    return this;
  }

  /** Expects the next reply to be ephemeral: only the asker sees it, where the platform can do that. */
  public ConversationTester expectEphemeral() {
    String expectation = "an ephemeral reply, ";
    Delivery reply = takeReply(expectation, "");
    if (!reply.reply().ephemeral()) {
      throw new AssertionError("Expected " + expectation + "but this reply is seen by everyone:\n"
          + Describe.indent(reply.text()));
    }
    return this;
  }

  /**
   * Picks the choice labelled {@code label} of the latest reply taken that offered choices, as the current
   * speaker would by clicking its button: the choice's value is said in that reply's channel and thread.
   * Choices are the asker's: another speaker's click is not taken as a pick.
   *
   * @throws AssertionError when no reply taken so far offered choices, or none is labelled {@code label}
   */
  public ConversationTester click(String label) {
    Objects.requireNonNull(label, "label");
    if (lastWithChoices == null) {
      throw new AssertionError("Expected a reply with choices to click '" + label
          + "' in, but no reply taken so far offered any");
    }
    Reply.Choice choice = lastWithChoices.reply().choices().stream().filter(c -> c.label().equals(label))
        .findFirst().orElseThrow(() -> new AssertionError("Expected a choice labelled '" + label + "', but the"
            + " reply offered " + lastWithChoices.reply().choices().stream().map(Reply.Choice::label).toList()));
    RecordingService.RequestBuilder request = service.request().user(user)
        .channel(lastWithChoices.conversation().channel()).text(choice.value());
    lastWithChoices.conversation().thread().ifPresent(request::thread);
    return send(request.build(), choice.value());
  }

  /** Expects the next reply's plain text to contain {@code part}. */
  public ConversationTester expectReplyContaining(String part) {
    Objects.requireNonNull(part, "part");
    String expectation = "a reply containing:\n" + Describe.indent(part) + "\n";
    Delivery reply = takeReply(expectation, "");
    if (!reply.text().contains(part)) {
      throw mismatch(expectation, reply);
    }
    return this;
  }

  /** Expects the whole of the next reply's plain text to match {@code regex} (with {@code .} matching newlines). */
  public ConversationTester expectReplyMatching(String regex) {
    return expectReplyMatching(Pattern.compile(regex, Pattern.DOTALL));
  }

  /** Expects the whole of the next reply's plain text to match {@code pattern}. */
  public ConversationTester expectReplyMatching(Pattern pattern) {
    Objects.requireNonNull(pattern, "pattern");
    String expectation = "a reply matching the regex:\n" + Describe.indent(pattern.pattern()) + "\n";
    Delivery reply = takeReply(expectation, "");
    if (!pattern.matcher(reply.text()).matches()) {
      throw mismatch(expectation, reply);
    }
    return this;
  }

  /** Expects the next reply to pass {@code check}, for fields, ephemerality and anything else. */
  public ConversationTester expectReplyMatching(Predicate<? super Reply> check) {
    Objects.requireNonNull(check, "check");
    String expectation = "a reply matching the given predicate";
    Delivery reply = takeReply(expectation, ", ");
    if (!check.test(reply.reply())) {
      throw mismatch(expectation + ", ", reply);
    }
    return this;
  }

  /**
   * Waits until the router has finished every message said so far, then expects that no reply is waiting.
   * Follow-ups a plugin scheduled for later are not waited for.
   */
  public ConversationTester expectNoReply() {
    service.assertNoReply(router);
    return this;
  }

  /** Every reply delivered so far, oldest first, taken or not. */
  public List<Delivery> replies() {
    return service.replies();
  }

  private Delivery takeReply(String expectation, String separator) {
    Delivery reply = service.pollReply(timeout);
    if (reply == null) {
      throw new AssertionError("Expected " + expectation + separator + "but no reply came within "
          + Describe.duration(timeout) + ". Replies delivered so far:\n" + Describe.list(service.replies()));
    }
    if (!reply.reply().choices().isEmpty()) {
      lastWithChoices = reply;
    }
    return reply;
  }

  private static AssertionError mismatch(String expectation, Delivery reply) {
    return new AssertionError("Expected " + expectation + "but the bot replied:\n" + Describe.indent(reply.text()));
  }

  // ---------------------------------------------------------------- invocations

  /**
   * Takes the next plugin invocation, waiting for it up to the reply timeout.
   *
   * @throws AssertionError when no plugin is invoked in time
   */
  public Invocation nextInvocation() {
    return takeInvocation("an invocation, ");
  }

  /** Expects the next plugin invocation to be of {@code route}, with any attributes. */
  public ConversationTester expectInvocation(String route) {
    Objects.requireNonNull(route, "route");
    String expectation = "an invocation of:\n" + Describe.indent(route) + "\n";
    Invocation invocation = takeInvocation(expectation);
    if (!invocation.route().path().equals(route)) {
      throw new AssertionError("Expected " + expectation + "but the plugin received:\n" + describe(invocation));
    }
    return this;
  }

  /** Expects the next plugin invocation to be of {@code route} with exactly {@code attributes}. */
  public ConversationTester expectInvocation(String route, Map<String, String> attributes) {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(attributes, "attributes");
    String expectation = "the invocation:\n" + Describe.indent(route + " " + Describe.attributes(attributes)) + "\n";
    Invocation invocation = takeInvocation(expectation);
    if (!invocation.route().path().equals(route) || !invocation.attributes().equals(attributes)) {
      throw new AssertionError("Expected " + expectation + "but the plugin received:\n" + describe(invocation));
    }
    return this;
  }

  /**
   * Waits until the router has finished every message said so far, then expects that no plugin invocation is
   * waiting to be taken.
   */
  public ConversationTester expectNoInvocation() {
    if (!router.awaitIdle(timeout)) {
      throw new AssertionError("Expected no invocation, but the router was still busy after "
          + Describe.duration(timeout));
    }
    List<Invocation> waiting = new ArrayList<>(pendingInvocations);
    if (!waiting.isEmpty()) {
      throw new AssertionError("Expected no invocation, but the plugins received:\n"
          + Describe.list(waiting.stream().map(ConversationTester::plain).toList()));
    }
    return this;
  }

  /** Every invocation of every plugin so far, oldest first, taken or not. */
  public List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  private Invocation takeInvocation(String expectation) {
    Invocation invocation;
    try {
      invocation = pendingInvocations.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for an invocation", e);
    }
    if (invocation == null) {
      throw new AssertionError("Expected " + expectation + "but no plugin was invoked within "
          + Describe.duration(timeout) + ". Replies delivered so far:\n" + Describe.list(service.replies()));
    }
    return invocation;
  }

  private static String plain(Invocation invocation) {
    return invocation.route().path() + " " + Describe.attributes(invocation.attributes());
  }

  private static String describe(Invocation invocation) {
    return Describe.indent(plain(invocation));
  }

  // ---------------------------------------------------------------- the parts, for advanced cases

  /** The router under test, for requests of your own and {@link EventRouter#awaitIdle}. */
  public EventRouter router() {
    return router;
  }

  /** The chat platform the tester speaks through. */
  public RecordingService service() {
    return service;
  }

  /** The router's clock; advance it to age conversations and follow-up deadlines. */
  public MutableClock clock() {
    return clock;
  }

  /**
   * The router's NLU engine: the local NLU trained on the plugins' training material, unless the builder was
   * given another (such as a {@link ScriptedNlu}).
   */
  public NluEngine nlu() {
    return nlu;
  }

  /**
   * The router's NLU engine as a {@link ScriptedNlu}, to script sentences during a test.
   *
   * @throws IllegalStateException when the tester was built with another kind of engine
   */
  public ScriptedNlu scriptedNlu() {
    if (!(nlu instanceof ScriptedNlu)) {
      throw new IllegalStateException("this tester's NLU engine is " + nlu.getClass().getName()
          + ", not a ScriptedNlu; build the tester with .nlu(ScriptedNlu.create()) to script sentences");
    }
    return (ScriptedNlu) nlu;
  }

  /** Closes the router, which lets in-flight messages finish and closes the plugins. */
  @Override
  public void close() {
    router.close();
  }

  /** Builds a {@link ConversationTester}. Not thread-safe. */
  public static final class Builder {
    private final List<Plugin> plugins = new ArrayList<>();
    private final List<Map<String, String>> credentials = new ArrayList<>();
    private final List<Consumer<EventRouter.Builder>> customizations = new ArrayList<>();
    private NluEngine nlu;
    private MutableClock clock;
    private Store store;
    private Duration replyTimeout = RecordingService.DEFAULT_REPLY_TIMEOUT;

    private Builder() {}

    /** Registers a plugin with the credentials of its {@code config.yaml}. */
    public Builder plugin(Plugin plugin) {
      return plugin(plugin, Map.of());
    }

    /** Registers a plugin; {@code credentials} override those of its {@code config.yaml}, as the host's do. */
    public Builder plugin(Plugin plugin, Map<String, String> credentials) {
      plugins.add(Objects.requireNonNull(plugin, "plugin"));
      this.credentials.add(Map.copyOf(credentials));
      return this;
    }

    /**
     * The NLU engine; by default the local NLU trained on the plugins' {@code intents/}, {@code entities/} and
     * {@code data/}, as the real bot's. Give a {@link ScriptedNlu} to script exact sentences instead.
     */
    public Builder nlu(NluEngine nlu) {
      this.nlu = Objects.requireNonNull(nlu, "nlu");
      return this;
    }

    /** The router's clock; a {@link MutableClock} at {@link #DEFAULT_START} by default. */
    public Builder clock(MutableClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The router's store; an in-memory store on the tester's clock by default. */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** How long each expectation waits for its reply or invocation; 5 s by default. */
    public Builder replyTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("replyTimeout must be positive but was " + timeout);
      }
      this.replyTimeout = timeout;
      return this;
    }

    /**
     * Changes the router further, after the tester set it up: a dialog parser, the plugin timeout, more
     * worker threads (then replies to different messages may come in any order).
     */
    public Builder customize(Consumer<EventRouter.Builder> customization) {
      customizations.add(Objects.requireNonNull(customization, "customization"));
      return this;
    }

    /**
     * Builds the router and connects the plugins.
     *
     * @throws ai.chatops.ConfigurationException as {@link EventRouter.Builder#build()} does
     */
    public ConversationTester build() {
      return new ConversationTester(this);
    }
  }
}
