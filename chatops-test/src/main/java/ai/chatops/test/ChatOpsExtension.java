package ai.chatops.test;

import ai.chatops.plugin.Plugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives every test a fresh {@link ConversationTester} and closes it after the test.
 * Test methods (and {@code @BeforeEach} methods) receive it, or its parts, as parameters:
 * {@link ConversationTester}, {@link MutableClock}, {@link ScriptedNlu} and {@link RecordingService}.
 *
 * <pre>{@code
 * class LinksPluginTest {
 *   @RegisterExtension
 *   static final ChatOpsExtension chatops = ChatOpsExtension.forPlugins(LinksPlugin::new)
 *       .configure(tester -> tester.replyTimeout(Duration.ofSeconds(10)));
 *
 *   @Test
 *   void answersARunbookByName(ConversationTester tester) {
 *     tester.say("links get NAME=oncall").expectReply("oncall: https://wiki.example.com/oncall");
 *   }
 *
 *   @Test
 *   void understandsFreeText(ConversationTester tester) { // the local NLU, trained on the plugin's files
 *     tester.say("where is the oncall runbook").expectInvocation("/v1/links/get", Map.of("NAME", "oncall"));
 *   }
 *
 *   @Test
 *   void followsAScript(ConversationTester tester, ScriptedNlu nlu) { // asking for it scripts the NLU
 *     nlu.when("the usual").thenRoute("/v1/links/get", Map.of("NAME", "oncall"));
 *     tester.say("the usual").expectInvocation("/v1/links/get", Map.of("NAME", "oncall"));
 *   }
 * }
 * }</pre>
 *
 * <p>The testers understand free text as the bot does, with the local NLU trained on the plugins' own
 * training material. A test method with a {@link ScriptedNlu} parameter gets a tester with an empty scripted
 * engine instead; {@link #withScriptedNlu()} does that for every test (for {@code @BeforeEach} methods that
 * script). Plugins are given as suppliers, called once per test, so that no plugin instance is shared between
 * tests. Register the extension on a static or an instance field; either way each test gets its own tester.
 * Register one per test class: {@code @Nested} classes inherit it, and a second one would compete with it for
 * the same parameters.
 * Instances are immutable and thread-safe: {@link #configure} returns a new extension, and each test's tester
 * lives in that test's {@link ExtensionContext}, so tests may run in parallel.
 */
public final class ChatOpsExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ChatOpsExtension.class);
  private static final String KEY = "tester";

  private final List<Consumer<ConversationTester.Builder>> configuration;

  private ChatOpsExtension(List<Consumer<ConversationTester.Builder>> configuration) {
    this.configuration = List.copyOf(configuration);
  }

  /** An extension whose testers have no plugins until {@link #configure configured}. */
  public static ChatOpsExtension create() {
    return new ChatOpsExtension(List.of());
  }

  /** An extension whose testers have a fresh instance of each plugin, with its config's credentials. */
  @SafeVarargs
  public static ChatOpsExtension forPlugins(Supplier<? extends Plugin>... plugins) {
    List<Supplier<? extends Plugin>> suppliers = new ArrayList<>();
    for (Supplier<? extends Plugin> plugin : plugins) {
      suppliers.add(Objects.requireNonNull(plugin, "plugin supplier"));
    }
    return create().configure(builder -> suppliers.forEach(s -> builder.plugin(s.get())));
  }

  /**
   * Returns an extension that also applies {@code configuration} to each test's tester builder: plugins with
   * credentials, an NLU engine, a clock, a store, router customizations. Called once per test.
   */
  public ChatOpsExtension configure(Consumer<ConversationTester.Builder> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    List<Consumer<ConversationTester.Builder>> more = new ArrayList<>(this.configuration);
    more.add(configuration);
    return new ChatOpsExtension(more);
  }

  /** Returns an extension whose testers use an empty {@link ScriptedNlu} instead of the local NLU. */
  public ChatOpsExtension withScriptedNlu() {
    return configure(builder -> builder.nlu(ScriptedNlu.create()));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ConversationTester.Builder builder = ConversationTester.builder();
    boolean scripted = context.getTestMethod()
        .map(m -> java.util.Arrays.stream(m.getParameterTypes()).anyMatch(t -> t == ScriptedNlu.class))
        .orElse(false);
    if (scripted) {
      builder.nlu(ScriptedNlu.create());
    }
    configuration.forEach(c -> c.accept(builder));
    context.getStore(NAMESPACE).put(KEY, builder.build());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ConversationTester tester = context.getStore(NAMESPACE).remove(KEY, ConversationTester.class);
    if (tester != null) {
      tester.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ConversationTester.class
        || type == MutableClock.class
        || type == ScriptedNlu.class
        || type == RecordingService.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ConversationTester tester = context.getStore(NAMESPACE).get(KEY, ConversationTester.class);
    if (tester == null) {
      throw new ParameterResolutionException("ChatOpsExtension creates its ConversationTester before each"
          + " test; it cannot be injected into " + parameter.getDeclaringExecutable());
    }
    Class<?> type = parameter.getParameter().getType();
    if (type == ConversationTester.class) {
      return tester;
    }
    if (type == MutableClock.class) {
      return tester.clock();
    }
    if (type == RecordingService.class) {
      return tester.service();
    }
    if (!(tester.nlu() instanceof ScriptedNlu)) {
      throw new ParameterResolutionException("cannot inject a ScriptedNlu: the tester uses "
          + tester.nlu().getClass().getName() + "; a test method with a ScriptedNlu parameter gets one, and"
          + " ChatOpsExtension.withScriptedNlu() gives one to every test (for @BeforeEach methods)");
    }
    return tester.nlu();
  }

  @Override
  public String toString() {
    return "ChatOpsExtension{" + configuration.size() + " configurations}";
  }
}
