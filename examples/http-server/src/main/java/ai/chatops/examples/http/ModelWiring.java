package ai.chatops.examples.http;

import ai.chatops.ConfigurationException;
import ai.chatops.llm.LlmNlu;
import ai.chatops.llm.NluChain;
import ai.chatops.mcp.McpEndpoint;
import ai.chatops.nlu.LocalNlu;
import ai.chatops.nlu.NluEngine;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.TrainingSet;
import ai.chatops.service.Conversation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of language models and MCP (issue #19), read from the environment:
 * <ul>
 *   <li>{@code CHATOPS_NLU=llm}: explicit commands parse as always, every other message goes to the model
 *       at {@code CHATOPS_LLM_BASE_URL} ({@code CHATOPS_LLM_API_KEY}, {@code CHATOPS_LLM_MODEL}), and the
 *       local engine answers only when the model fails;</li>
 *   <li>{@code CHATOPS_NLU=local,llm}: the local engine answers when it is confident (0.8 or more), the model
 *       otherwise;</li>
 *   <li>{@code CHATOPS_MCP_TOKENS=user=token,...}: the MCP server at {@code /mcp}, each token acting as its
 *       user; {@code CHATOPS_MCP_APPROVAL_CHANNEL} is where those users approve {@code Confirm:} routes:
 *       {@code <workspace>/<channel>} (a Slack team and channel id) for everyone, or
 *       {@code user=<workspace>/<channel>} pairs, comma-separated (each user's direct-message channel).</li>
 * </ul>
 */
final class ModelWiring {
  private static final Logger log = LoggerFactory.getLogger(ModelWiring.class);
  /** How sure the local engine must be for {@code CHATOPS_NLU=local,llm} not to ask the model. */
  static final double LOCAL_CONFIDENT = 0.8;

  private ModelWiring() {}

  /** Whether {@code CHATOPS_NLU} names a language model, so that this class builds the engine. */
  static boolean wantsModel(Map<String, String> env) {
    String kind = get(env, "CHATOPS_NLU").toLowerCase(Locale.ROOT).replace(" ", "");
    return kind.equals("llm") || kind.equals("local,llm");
  }

  /**
   * The model engine {@code CHATOPS_NLU} asks for, or empty when it names none.
   *
   * @throws ConfigurationException naming the variable that is missing or invalid
   */
  static Optional<NluEngine> nlu(Map<String, String> env, List<Plugin> plugins) {
    if (!wantsModel(env)) {
      return Optional.empty();
    }
    String baseUrl = required(env, "CHATOPS_LLM_BASE_URL", "an OpenAI-compatible base URL such as "
        + "https://api.openai.com/v1/");
    String apiKey = required(env, "CHATOPS_LLM_API_KEY", "the model API's key");
    String model = required(env, "CHATOPS_LLM_MODEL", "the model's name, such as gpt-4o-mini");
    List<TrainingSet> training = training(plugins);
    LocalNlu local = LocalNlu.train(training);
    LlmNlu llm;
    try {
      llm = LlmNlu.builder(LlmNlu.openAi(baseUrl, apiKey, model), model).trainingSets(training).fallback(local)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("CHATOPS_LLM_MODEL: " + e.getMessage());
    }
    boolean chain = get(env, "CHATOPS_NLU").replace(" ", "").equalsIgnoreCase("local,llm");
    log.info("free text goes to {} ({}){}", model, ai.chatops.toolkit.LogSafe.clean(baseUrl),
        chain ? " when the local engine is unsure" : ", with the local engine as the fallback");
    return Optional.of(chain ? NluChain.of(local, LOCAL_CONFIDENT, llm) : llm);
  }

  /**
   * The MCP endpoint {@code CHATOPS_MCP_TOKENS} asks for, or empty when it is unset.
   *
   * @throws ConfigurationException naming the variable that is invalid; never containing a token
   */
  static Optional<McpEndpoint> mcp(Map<String, String> env, List<Plugin> plugins) {
    String tokens = get(env, "CHATOPS_MCP_TOKENS");
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    McpEndpoint.Builder mcp = McpEndpoint.builder().trainingSets(training(plugins));
    try {
      mcp.tokens(tokens);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage().startsWith("CHATOPS_MCP_TOKENS") ? e.getMessage()
          : "CHATOPS_MCP_TOKENS: " + e.getMessage());
    }
    String approvals = get(env, "CHATOPS_MCP_APPROVAL_CHANNEL");
    if (approvals.isEmpty()) {
      log.warn("CHATOPS_MCP_APPROVAL_CHANNEL is not set: MCP calls of Confirm: routes are refused");
    }
    for (String item : approvals.isEmpty() ? new String[0] : approvals.split(",")) {
      String[] userAndPlace = item.trim().split("=", 2);
      String place = userAndPlace[userAndPlace.length - 1];
      String[] parts = place.split("/");
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank() || userAndPlace[0].isBlank()) {
        throw new ConfigurationException("CHATOPS_MCP_APPROVAL_CHANNEL must be <workspace>/<channel> (such as "
            + "T0123/C0456) or user=<workspace>/<channel> pairs, comma-separated, but was '" + approvals + "'");
      }
      Conversation where = Conversation.of("slack", parts[0].trim(), parts[1].trim());
      if (userAndPlace.length == 2) {
        mcp.approvals(userAndPlace[0].trim(), where);
      } else {
        mcp.approvals(where);
      }
    }
    log.info("serving MCP at {}, approving Confirm: routes through the client where it can be asked (elicitation)",
        McpEndpoint.PATH);
    return Optional.of(mcp.build());
  }

  private static List<TrainingSet> training(List<Plugin> plugins) {
    List<TrainingSet> training = new ArrayList<>();
    for (Plugin p : plugins) {
      p.trainingSet().ifPresent(training::add);
    }
    return training;
  }

  private static String required(Map<String, String> env, String name, String what) {
    String value = get(env, name);
    if (value.isEmpty()) {
      throw new ConfigurationException(name + " is required with CHATOPS_NLU=" + get(env, "CHATOPS_NLU") + ": "
          + what);
    }
    return value;
  }

  private static String get(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null ? "" : value.trim();
  }
}
