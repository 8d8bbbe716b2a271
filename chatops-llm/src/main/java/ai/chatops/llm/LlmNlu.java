package ai.chatops.llm;

import ai.chatops.ChatOpsException;
import ai.chatops.llm.internal.Conversations;
import ai.chatops.llm.internal.Proposals;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.plugin.RouteTool;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.toolkit.LogSafe;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link NluEngine} that asks a language model which route a message means: every declared route is
 * offered as a tool ({@code <plugin>_<action>}, see {@link RouteTool}), and the model's tool call becomes the
 * {@link NluResult}, audited as {@code llm:<model>}. The model only proposes: the result enters the dialog
 * chain like any engine's, so slot filling, the access rules, rate limits and {@code Confirm:} apply. A tool
 * the catalog does not have, an undeclared attribute or a value outside a closed entity is not run: the user
 * is told what was understood. A plain-text answer (a clarifying question) is said to the user.
 *
 * <p>Only the message, this conversation's recent turns and the tool list go to the model: no credential,
 * token or stored configuration value. When the model fails (down, slow, refusing, rate-limited past its
 * retries), the {@linkplain Builder#fallback fallback} engine answers instead.
 *
 * <pre>{@code
 * NluEngine llm = LlmNlu.builder(LlmNlu.openAi(baseUrl, apiKey, "gpt-4o-mini"), "gpt-4o-mini")
 *     .trainingSets(trainingSets)
 *     .fallback(LocalNlu.train(trainingSets))
 *     .build();
 * EventRouter.builder().nlu(llm)...
 * }</pre>
 *
 * <p>Thread-safe: share one per router.
 */
public final class LlmNlu implements NluEngine {
  private static final Logger log = LoggerFactory.getLogger(LlmNlu.class);

  private final ChatModel model;
  private final String via;
  private final List<TrainingSet> trainingSets;
  private final NluEngine fallback;
  private final Conversations conversations;
  private volatile ToolCache tools;

  private record ToolCache(Object catalog, List<RouteTool> tools) {}

  private LlmNlu(Builder b) {
    this.model = b.model;
    this.via = "llm:" + b.modelName;
    this.trainingSets = List.copyOf(b.trainingSets);
    this.fallback = b.fallback;
    this.conversations = new Conversations(b.turns, b.maxConversations);
  }

  /**
   * The default wiring: an OpenAI-compatible chat-completions client (OpenAI, Azure OpenAI's compatible
   * endpoint, Ollama, vLLM and most gateways) with a 10 s timeout and 2 retries.
   *
   * @param baseUrl such as {@code https://api.openai.com/v1/}; plain http only for a loopback address
   * @param apiKey the API key; never logged
   * @param modelName such as {@code gpt-4o-mini}
   * @throws ai.chatops.ConfigurationException when the base URL is not https and not loopback
   */
  public static ChatModel openAi(String baseUrl, String apiKey, String modelName) {
    return openAi(baseUrl, apiKey, modelName, Duration.ofSeconds(10), 2);
  }

  /** The default wiring with another per-call timeout and number of retries. */
  public static ChatModel openAi(String baseUrl, String apiKey, String modelName, Duration timeout,
      int maxRetries) {
    Objects.requireNonNull(apiKey, "apiKey");
    URI uri;
    try {
      uri = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
    } catch (IllegalArgumentException e) {
      throw new ai.chatops.ConfigurationException("the model's base URL is not a URL: " + LogSafe.clean(baseUrl));
    }
    boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())
        || "[::1]".equals(uri.getHost()) || "::1".equals(uri.getHost());
    if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
      throw new ai.chatops.ConfigurationException("the model's base URL must be https (plain http only for a "
          + "loopback address) but was " + LogSafe.clean(baseUrl));
    }
    return OpenAiChatModel.builder()
        .baseUrl(baseUrl)
        .apiKey(apiKey)
        .modelName(Objects.requireNonNull(modelName, "modelName"))
        .timeout(timeout)
        .maxRetries(maxRetries)
        .temperature(0.0)
        .build();
  }

  /**
   * Starts an engine over {@code model}.
   *
   * @param modelName the name recorded in audit entries as {@code llm:<modelName>}
   */
  public static Builder builder(ChatModel model, String modelName) {
    return new Builder(model, modelName);
  }

  @Override
  public Optional<NluResult> understand(NluQuery query) {
    List<RouteTool> offered = tools(query);
    String key = Conversations.key(query.event());
    ChatResponse response;
    try {
      response = model.chat(Proposals.request(offered, conversations.recent(key), query.text()));
    } catch (RuntimeException e) {
      log.warn("event {}: the language model failed ({}); {}", LogSafe.ref(query.event().service(),
          query.event().id()), describe(e),
          fallback != null ? "the fallback engine answers" : "no fallback engine");
      if (fallback == null) {
        throw new ChatOpsException("the language model failed: " + e.getClass().getSimpleName(), e);
      }
      return fallback.understand(query);
    }
    Optional<NluResult> result = Proposals.read(response, offered, via);
    conversations.remember(key, query.text(), Proposals.summary(result));
    return result;
  }

  @Override
  public List<NluResult> closest(NluQuery query, int limit) {
    return fallback != null ? fallback.closest(query, limit) : List.of();
  }

  /**
   * The failure for the log: its class and the start of its message, with anything shaped like an API key
   * masked (providers echo a wrong key back, partly starred, in their error bodies).
   */
  static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return LogSafe.clean(e.getClass().getSimpleName() + ": "
        + message.replaceAll("sk-[A-Za-z0-9_*\\-]{4,}", "sk-***")
            .replaceAll("Bearer [A-Za-z0-9_*.\\-]{4,}", "Bearer ***"), 200);
  }

  private List<RouteTool> tools(NluQuery query) {
    ToolCache cache = tools;
    if (cache == null || cache.catalog() != query.catalog()) {
      cache = new ToolCache(query.catalog(), RouteTool.of(query.catalog(), trainingSets));
      tools = cache;
    }
    return cache.tools();
  }

  @Override
  public String toString() {
    return "LlmNlu{" + via + "}";
  }

  /** Configures an {@link LlmNlu}. Not thread-safe. */
  public static final class Builder {
    private final ChatModel model;
    private final String modelName;
    private final List<TrainingSet> trainingSets = new ArrayList<>();
    private NluEngine fallback;
    private int turns = 6;
    private int maxConversations = 10_000;

    private Builder(ChatModel model, String modelName) {
      this.model = Objects.requireNonNull(model, "model");
      this.modelName = Objects.requireNonNull(modelName, "modelName");
      if (modelName.isBlank() || modelName.length() > 60) {
        throw new IllegalArgumentException("modelName must be 1 to 60 characters but was '" + modelName + "'");
      }
    }

    /** The plugins' training material: closed entities become enums, intents' required parameters required. */
    public Builder trainingSets(List<TrainingSet> sets) {
      trainingSets.addAll(sets);
      return this;
    }

    /** The engine that answers when the model fails, usually the local NLU; none by default. */
    public Builder fallback(NluEngine engine) {
      this.fallback = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** How many recent turns of a conversation go to the model with a message; 6 by default, 0 for none. */
    public Builder recentTurns(int count) {
      if (count < 0 || count > 50) {
        throw new IllegalArgumentException("recentTurns must be within 0..50 but was " + count);
      }
      this.turns = count;
      return this;
    }

    public LlmNlu build() {
      return new LlmNlu(this);
    }
  }
}
