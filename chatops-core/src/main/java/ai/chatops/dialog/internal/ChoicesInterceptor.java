package ai.chatops.dialog.internal;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Invocation;
import ai.chatops.service.Reply;
import ai.chatops.store.Store;
import ai.chatops.toolkit.LogSafe;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a plugin's choices the asker's, as the router's own confirmations are: the choices a chat call returns
 * are remembered in the asker's conversation record ({@link ConversationStep}, keyed by service, workspace,
 * channel, thread and user), and each button carries a short token ({@code 1}, {@code 2}...) instead of the
 * command. The asker's click or typed number (or label) is resolved to the command by the conversation step;
 * anyone else's finds no record and is not taken as a pick. When the record cannot be written, the choices keep
 * their commands, so the buttons still work (for anyone). An ephemeral reply, and a reply whose choices were
 * kept for the asker, is addressed to the asker ({@link Action#withAsker}), so a platform that shows a message
 * to one user, or answers a click at once, knows to whom. Thread-safe.
 */
public final class ChoicesInterceptor implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(ChoicesInterceptor.class);
  /** Created on first use: the mapper loads most of jackson-databind, which start-up does not need. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Store store;
  private final Clock clock;
  private final Duration timeout;

  public ChoicesInterceptor(Store store, Clock clock, Duration timeout) {
    this.store = store;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<Action> intercept(Chain chain) {
    Invocation invocation = chain.invocation();
    CompletionStage<Action> stage = chain.proceed(invocation);
    if (!invocation.via().equals(Invocation.VIA_CHAT)) {
      return stage;
    }
    return stage.thenApply(new Addressing(invocation));
  }

  /** Addresses the action to the asker, remembering its choices; a class, not a lambda generated at first use. */
  private final class Addressing implements Function<Action, Action> {
    private final Invocation invocation;

    Addressing(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Action apply(Action action) {
      Action addressed = action.ephemeral() ? action.withAsker(invocation.user()) : action;
      return addressed.choices().isEmpty() ? addressed : remember(invocation, addressed);
    }
  }

  private Action remember(Invocation invocation, Action action) {
    List<String> labels = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<Reply.Choice> tokens = new ArrayList<>();
    for (Reply.Choice choice : action.choices()) {
      labels.add(choice.label());
      values.add(choice.value());
      tokens.add(new Reply.Choice(choice.label(), Integer.toString(tokens.size() + 1)));
    }
    ConversationStep.Pending pending =
        new ConversationStep.Pending("", Map.of(), "", labels, values, null);
    try {
      java.time.Instant expiresAt = clock.instant().plus(timeout);
      store.put(ConversationStep.key(invocation.event()), Json.MAPPER.writeValueAsBytes(pending), expiresAt);
      // Who may pick, for everyone else in the conversation: their click is answered, not misread.
      store.put(ConversationStep.choicesKey(invocation.event()),
          (invocation.event().user() + "\n" + tokens.size()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
          expiresAt);
      // Addressed to the asker, so a platform that can answer a click at once (a Teams card's invoke) tells
      // anyone else, and only them, that the choices are not theirs.
      return action.withChoices(tokens).withAsker(invocation.user());
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("event {}: could not keep the choices for the asker; anyone may pick them: {}",
          LogSafe.ref(invocation.event().service(), invocation.event().id()), e.toString());
      return action;
    }
  }
}
