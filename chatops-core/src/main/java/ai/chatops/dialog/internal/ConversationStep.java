package ai.chatops.dialog.internal;

import ai.chatops.toolkit.LogSafe;
import ai.chatops.plugin.Catalog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.plugin.RouteGuide;
import ai.chatops.plugin.Slot;
import ai.chatops.dialog.Turn;
import ai.chatops.internal.Keys;
import ai.chatops.plugin.Route;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Reply;
import ai.chatops.store.Store;
import ai.chatops.store.StoreEntry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps half-finished requests: asks for a route's missing required attributes one at a time (slot
 * filling), asks "are you sure?" before routes marked {@code Confirm}, and resumes on the answer. The
 * pending request lives in the {@link Store} with an expiry, keyed by service, workspace, channel, thread
 * and user, so only the asking user can answer it and it survives a restart with a durable store.
 *
 * <p>It wraps the resolving steps: on the way in it answers a pending question; on the way out it checks the
 * {@code INVOKE} outcome the rest of the chain produced.
 */
public final class ConversationStep implements DialogParser {
  private static final Logger log = LoggerFactory.getLogger(ConversationStep.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CANCEL = Set.of("cancel", "nevermind", "never mind", "forget it", "abort");
  private static final Set<String> YES = Set.of("yes", "y", "yep", "yeah", "sure", "confirm", "ok", "okay", "do it", "go ahead");
  private static final Set<String> NO = Set.of("no", "n", "nope", "don't", "dont", "stop");
  private static final byte[] TAKEN = "taken".getBytes(StandardCharsets.UTF_8);

  private final Store store;
  private final Clock clock;
  private final Duration timeout;
  private final double confirmBelow;

  public ConversationStep(Store store, Clock clock, Duration timeout, double confirmBelow) {
    this.store = store;
    this.clock = clock;
    this.timeout = timeout;
    this.confirmBelow = confirmBelow;
  }

  /**
   * A half-finished request, as stored. {@code asking} is the attribute asked for, or empty when confirming;
   * {@code via} is what proposed it (null in records written before it was kept: chat).
   */
  record Pending(String route, Map<String, String> attributes, String asking, String via) {
    Pending(String route, Map<String, String> attributes, String asking) {
      this(route, attributes, asking, null);
    }

    String proposer() {
      return via == null ? ai.chatops.plugin.Invocation.VIA_CHAT : via;
    }
  }

  @Override
  public Outcome parse(Chain chain) {
    Turn turn = chain.turn();
    String key = key(turn.event());
    Optional<StoreEntry> entry;
    try {
      entry = store.get(key);
    } catch (RuntimeException e) {
      log.warn("event {}: could not read the conversation: {}", LogSafe.ref(turn.event().service(), turn.event().id()), e.toString());
      entry = Optional.empty();
    }
    if (entry.isPresent()) {
      Optional<Outcome> answered = answer(chain, turn, key, entry.get());
      if (answered.isPresent()) {
        return answered.get();
      }
    }
    Outcome outcome = chain.proceed(turn);
    if (outcome.kind() != Outcome.Kind.INVOKE) {
      return outcome;
    }
    return next(turn, key, outcome.route().orElseThrow(), outcome.attributes(), outcome.confidence(), false,
        outcome.via());
  }

  /** Answers a pending question; empty when the message is not an answer and goes down the chain. */
  private Optional<Outcome> answer(Chain chain, Turn turn, String key, StoreEntry entry) {
    Pending pending;
    try {
      pending = JSON.readValue(entry.value(), Pending.class);
    } catch (IOException e) {
      log.warn("dropping an unreadable conversation record {}", key);
      forget(key);
      return Optional.empty();
    }
    Optional<Route> route = turn.catalog().route(pending.route());
    if (route.isEmpty()) {
      forget(key); // the plugin is gone since the question was asked
      return Optional.empty();
    }
    String said = turn.text().toLowerCase(Locale.ROOT).replaceAll("[.!]+$", "").trim();
    if (CANCEL.contains(said)) {
      forget(key);
      return Optional.of(Outcome.reply("OK, I've cancelled " + route.get().plugin() + " " + route.get().action() + "."));
    }
    if (startsACommand(turn)) {
      forget(key); // a new request replaces the unanswered question
      return Optional.empty();
    }
    if (pending.asking().isEmpty()) {
      if (YES.contains(said)) {
        if (!take(key, entry)) {
          return Optional.of(Outcome.ignore("the confirmation was answered by another delivery"));
        }
        return Optional.of(Outcome.invoke(route.get(), pending.attributes(), 1.0, pending.proposer()));
      }
      if (NO.contains(said)) {
        forget(key);
        return Optional.of(Outcome.reply("OK, I won't run " + route.get().plugin() + " " + route.get().action() + "."));
      }
      forget(key); // something else entirely: never let a later "yes" confirm a forgotten request
      return Optional.empty();
    }
    if (!take(key, entry)) {
      return Optional.of(Outcome.ignore("the question was answered by another delivery"));
    }
    Map<String, String> attributes = new LinkedHashMap<>(pending.attributes());
    attributes.put(pending.asking(), turn.text());
    return Optional.of(next(turn, key, route.get(), attributes, 1.0, false, pending.proposer()));
  }

  /** Asks for the next missing attribute, asks for confirmation, or invokes. */
  private Outcome next(Turn turn, String key, Route route, Map<String, String> attributes, double confidence,
      boolean confirmed, String via) {
    Optional<Slot> missing = missing(turn.catalog(), route, attributes);
    if (missing.isPresent()) {
      return ask(turn, key, new Pending(route.path(), attributes, missing.get().attribute(), via),
          Reply.text(missing.get().question()));
    }
    if (confidence < confirmBelow && !confirmed) {
      Reply question = Reply.builder("Did you mean " + CommandLine.of(route, attributes) + "?")
          .choice("Yes", "yes").choice("No", "no").build();
      return ask(turn, key, new Pending(route.path(), attributes, "", via), question);
    }
    if (route.confirm() && !confirmed) {
      Reply question = Reply.builder("Run " + CommandLine.of(route, attributes) + "?")
          .choice("Yes", "yes").choice("No", "no").build();
      return ask(turn, key, new Pending(route.path(), attributes, "", via), question);
    }
    return Outcome.invoke(route, attributes, confidence, via);
  }

  /**
   * Asks the invocation's user, in its event's conversation, to approve a call that someone other than that
   * user proposed (an agent over MCP): a Yes/No question stored like any confirmation, so that only a "yes"
   * from that user in that conversation runs it, through the dialog's path, audited with the invocation's
   * {@code via}. An unanswered question expires; "no", "cancel" or another request drops it.
   *
   * @return the question to deliver into the conversation
   * @throws ai.chatops.StoreUnavailableException when the question cannot be kept
   */
  public Reply propose(ai.chatops.plugin.Invocation invocation) {
    Route route = invocation.route();
    Reply question = Reply.builder("Run " + CommandLine.of(route, invocation.attributes()) + "? ("
            + invocation.via() + " asks on your behalf)")
        .choice("Yes", "yes").choice("No", "no").build();
    try {
      store.put(key(invocation.event()), JSON.writeValueAsBytes(
              new Pending(route.path(), invocation.attributes(), "", invocation.via())),
          clock.instant().plus(timeout));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new ai.chatops.StoreUnavailableException("could not keep the approval question for "
          + route.path() + ": " + e);
    }
    return question;
  }

  private Outcome ask(Turn turn, String key, Pending pending, Reply question) {
    try {
      Instant expiresAt = clock.instant().plus(timeout);
      store.put(key, JSON.writeValueAsBytes(pending), expiresAt);
      return Outcome.reply(question);
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("event {}: could not keep the conversation: {}", LogSafe.ref(turn.event().service(), turn.event().id()), e.toString());
      Route route = turn.catalog().route(pending.route()).orElseThrow();
      return Outcome.reply("I can't hold a conversation right now; please say it in one message: "
          + HelpStep.usage(route));
    }
  }

  private static Optional<Slot> missing(Catalog catalog, Route route, Map<String, String> attributes) {
    Optional<RouteGuide> guide = catalog.guide(route.path());
    if (guide.isEmpty()) {
      return Optional.empty();
    }
    return guide.get().slots().stream()
        .filter(Slot::required)
        .filter(s -> attributes.getOrDefault(s.attribute(), "").isBlank())
        .findFirst();
  }

  private static boolean startsACommand(Turn turn) {
    String[] words = turn.text().split(" ", 3);
    return words.length >= 2
        && turn.catalog().plugin(words[0].toLowerCase(Locale.ROOT))
            .flatMap(p -> p.routeForAction(words[1].toLowerCase(Locale.ROOT)))
            .isPresent();
  }

  /** Marks the pending request as answered; false when another delivery answered it first. */
  private boolean take(String key, StoreEntry entry) {
    try {
      if (!store.compareAndSet(key, entry.version(), TAKEN, clock.instant().plusSeconds(1))) {
        return false;
      }
      store.delete(key);
      return true;
    } catch (RuntimeException e) {
      log.warn("could not update the conversation {}: {}", key, e.toString());
      return false;
    }
  }

  private void forget(String key) {
    try {
      store.delete(key);
    } catch (RuntimeException e) {
      log.warn("could not forget the conversation {}: {}", key, e.toString());
    }
  }

  static String key(ChatEvent event) {
    return Keys.hashed("conversation", event.service(), event.service(), event.workspace(), event.channel(),
        event.thread().orElse(""), event.user());
  }
}
