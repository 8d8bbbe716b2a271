package ai.chatops.dialog.internal;

import ai.chatops.toolkit.LogSafe;
import ai.chatops.plugin.Catalog;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;
import ai.chatops.plugin.RouteGuide;
import ai.chatops.plugin.Slot;
import ai.chatops.dialog.Turn;
import ai.chatops.internal.Keys;
import ai.chatops.plugin.AttributeSpec;
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
import java.util.List;
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
  /** Created on first use: the mapper loads most of jackson-databind, which start-up does not need. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  private static final Set<String> CANCEL = Set.of("cancel", "nevermind", "never mind", "forget it", "abort");
  private static final Set<String> YES = Set.of("yes", "y", "yep", "yeah", "sure", "confirm", "ok", "okay", "do it", "go ahead");
  private static final Set<String> NO = Set.of("no", "n", "nope", "don't", "dont", "stop");
  private static final byte[] TAKEN = "taken".getBytes(StandardCharsets.UTF_8);

  private static final java.util.regex.Pattern CHOICE_TOKEN = java.util.regex.Pattern.compile("[1-9][0-9]?");

  private final Store store;
  private final Clock clock;
  private final Duration timeout;
  private final double confirmBelow;
  private final java.util.function.BiFunction<String, String, Map<String, String>> known;

  public ConversationStep(Store store, Clock clock, Duration timeout, double confirmBelow) {
    this(store, clock, timeout, confirmBelow, (plugin, attribute) -> Map.of());
  }

  /**
   * A step that also checks values against those plugins know at run time: {@code known} gives, by plugin and
   * attribute, each known value in lower case mapped to its spelling, empty when none are known.
   */
  public ConversationStep(Store store, Clock clock, Duration timeout, double confirmBelow,
      java.util.function.BiFunction<String, String, Map<String, String>> known) {
    this.store = store;
    this.clock = clock;
    this.timeout = timeout;
    this.confirmBelow = confirmBelow;
    this.known = known;
  }

  /**
   * A half-finished request, as stored. {@code asking} is the attribute asked for, or empty when confirming;
   * {@code labels} and {@code values} are the choices a plugin offered the asker (then {@code route} is empty);
   * {@code via} is what proposed it (null in records written before it was kept: chat).
   */
  record Pending(String route, Map<String, String> attributes, String asking, List<String> labels,
      List<String> values, String via) {
    Pending {
      attributes = attributes == null ? Map.of() : attributes;
      labels = labels == null ? List.of() : List.copyOf(labels);
      values = values == null ? List.of() : List.copyOf(values);
    }

    Pending(String route, Map<String, String> attributes, String asking) {
      this(route, attributes, asking, List.of(), List.of(), null);
    }

    Pending(String route, Map<String, String> attributes, String asking, String via) {
      this(route, attributes, asking, List.of(), List.of(), via);
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
    } else if (CHOICE_TOKEN.matcher(turn.text()).matches()) {
      Optional<Outcome> notYours = othersChoice(turn);
      if (notYours.isPresent()) {
        return notYours.get();
      }
    }
    Outcome outcome = chain.proceed(turn);
    if (outcome.kind() != Outcome.Kind.INVOKE) {
      return outcome;
    }
    return next(turn, key, outcome.route().orElseThrow(), outcome.attributes(), outcome.confidence(), false, "",
        outcome.via());
  }

  /** Answers a pending question; empty when the message is not an answer and goes down the chain. */
  private Optional<Outcome> answer(Chain chain, Turn turn, String key, StoreEntry entry) {
    Pending pending;
    try {
      pending = Json.MAPPER.readValue(entry.value(), Pending.class);
    } catch (IOException e) {
      log.warn("dropping an unreadable conversation record {}", key);
      forget(key);
      return Optional.empty();
    }
    if (!pending.values().isEmpty()) {
      return picked(chain, turn, key, entry, pending);
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
    // An answer that reads as the same request with the value ("deploy billing" to "Which service?") gives
    // that request's values, not the whole text as the value. A request for another route must be typed as an
    // explicit command (startsACommand above): free text such as "all systems go" is a value first. A one-word
    // answer cannot restate the request, so it is a value without asking the NLU (a model call, for some).
    Outcome heard = said.contains(" ") ? chain.proceed(turn) : Outcome.ignore("a one-word answer is a value");
    Map<String, String> attributes = new LinkedHashMap<>(pending.attributes());
    if (heard.kind() == Outcome.Kind.INVOKE && heard.route().orElseThrow().path().equals(route.get().path())
        && heard.attributes().containsKey(pending.asking())) {
      attributes.putAll(heard.attributes());
    } else {
      attributes.put(pending.asking(), turn.text());
    }
    if (!take(key, entry)) {
      return Optional.of(Outcome.ignore("the question was answered by another delivery"));
    }
    return Optional.of(next(turn, key, route.get(), attributes, 1.0, false, pending.asking(),
        pending.proposer()));
  }

  /**
   * Answers a plugin's choices: the asker's number, label or value runs the choice's command through the rest
   * of the chain; anything else forgets the choices and goes down the chain as usual.
   */
  private Optional<Outcome> picked(Chain chain, Turn turn, String key, StoreEntry entry, Pending pending) {
    String said = turn.text().trim();
    int index = -1;
    for (int i = 0; i < pending.values().size(); i++) {
      if (said.equals(Integer.toString(i + 1)) || said.equalsIgnoreCase(pending.labels().get(i))
          || said.equals(pending.values().get(i))) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      forget(key);
      return Optional.empty();
    }
    if (!take(key, entry)) {
      return Optional.of(Outcome.ignore("the choice was answered by another delivery"));
    }
    Outcome outcome = chain.proceed(turn.withText(pending.values().get(index)));
    if (outcome.kind() != Outcome.Kind.INVOKE) {
      return Optional.of(outcome);
    }
    return Optional.of(next(turn, key, outcome.route().orElseThrow(), outcome.attributes(), outcome.confidence(),
        false, "", outcome.via()));
  }

  /**
   * Checks the values against their declared types, asks for the next missing attribute, asks for
   * confirmation, or invokes. {@code answered} names the attribute the message answered, if any: a wrong answer
   * asks again saying why.
   */
  private Outcome next(Turn turn, String key, Route route, Map<String, String> given, double confidence,
      boolean confirmed, String answered, String via) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      Optional<AttributeSpec> spec = route.attributeSpec(e.getKey());
      if (spec.isEmpty() || e.getValue().isBlank()) {
        attributes.put(e.getKey(), e.getValue());
        continue;
      }
      try {
        String value = spec.get().type().canonical(e.getKey(), e.getValue());
        // Only what the route acts on (a required attribute: the job) must exist; a qualifier such as a branch
        // may be newer than any list (a plain job's BRANCH parameter takes any branch).
        Map<String, String> values = e.getKey().equals(answered) || !spec.get().required() ? Map.of()
            : known.apply(route.plugin(), e.getKey());
        String spelled = values.isEmpty() ? value : values.get(value.toLowerCase(Locale.ROOT));
        if (spelled == null) {
          // Not among the values the plugin knows, typed or read from free text alike: ask, with the closest
          // known ones. The answer is taken as given, since the plugin's list may be older than the value.
          Map<String, String> kept = new LinkedHashMap<>(given);
          kept.remove(e.getKey());
          List<String> closest = Similarity.closest(value, values.values());
          String question = slot(turn.catalog(), route, spec.get()).question();
          return ask(turn, key, new Pending(route.path(), kept, e.getKey(), via), Reply.text(route.plugin()
              + " has no " + e.getKey() + " '" + clip(value) + "' that I know of"
              + (closest.isEmpty() ? "" : "; the closest: " + String.join(", ", closest.subList(0,
                  Math.min(3, closest.size()))))
              + ". " + question));
        }
        attributes.put(e.getKey(), spelled);
      } catch (IllegalArgumentException wrong) {
        if (e.getKey().equals(answered)) {
          Map<String, String> kept = new LinkedHashMap<>(given);
          kept.remove(answered);
          String question = slot(turn.catalog(), route, spec.get()).question();
          return ask(turn, key, new Pending(route.path(), kept, answered, via),
              Reply.text(wrong.getMessage() + ". " + question));
        }
        return Outcome.reply(wrong.getMessage() + ". Usage: " + HelpStep.usage(route));
      }
    }
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
      store.put(key(invocation.event()), Json.MAPPER.writeValueAsBytes(
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
      store.put(key, Json.MAPPER.writeValueAsBytes(pending), expiresAt);
      return Outcome.reply(question);
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("event {}: could not keep the conversation: {}", LogSafe.ref(turn.event().service(), turn.event().id()), e.toString());
      Route route = turn.catalog().route(pending.route()).orElseThrow();
      return Outcome.reply("I can't hold a conversation right now; please say it in one message: "
          + HelpStep.usage(route));
    }
  }

  /** The first required attribute without a value: required by its declaration or by the plugin's intents. */
  private static Optional<Slot> missing(Catalog catalog, Route route, Map<String, String> attributes) {
    Optional<RouteGuide> guide = catalog.guide(route.path());
    for (AttributeSpec spec : route.attributeSpecs()) {
      Slot slot = slot(catalog, route, spec);
      if ((spec.required() || slot.required()) && attributes.getOrDefault(spec.name(), "").isBlank()) {
        return Optional.of(slot);
      }
    }
    if (guide.isPresent()) {
      for (Slot slot : guide.get().slots()) {
        if (slot.required() && attributes.getOrDefault(slot.attribute(), "").isBlank()) {
          return Optional.of(slot);
        }
      }
    }
    return Optional.empty();
  }

  private static String clip(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }

  /** How to ask for an attribute: the intents' prompts if they have some, else the declaration's. */
  private static Slot slot(Catalog catalog, Route route, AttributeSpec spec) {
    Optional<RouteGuide> guide = catalog.guide(route.path());
    Optional<Slot> fromGuide = guide.isPresent() ? guide.get().slot(spec.name()) : Optional.empty();
    if (fromGuide.isPresent() && !fromGuide.get().prompts().isEmpty()) {
      return new Slot(spec.name(), spec.required() || fromGuide.get().required(), fromGuide.get().prompts());
    }
    return new Slot(spec.name(), spec.required() || fromGuide.isPresent() && fromGuide.get().required(),
        spec.prompts());
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

  /** Someone's click on choices another user was offered: answered, so it is not read as a request. */
  private Optional<Outcome> othersChoice(Turn turn) {
    try {
      Optional<StoreEntry> offered = store.get(choicesKey(turn.event()));
      if (offered.isEmpty()) {
        return Optional.empty();
      }
      String[] asker = new String(offered.get().value(), StandardCharsets.UTF_8).split("\n", 2);
      if (asker.length < 2 || asker[0].equals(turn.event().user())
          || Integer.parseInt(turn.text()) > Integer.parseInt(asker[1])) {
        return Optional.empty();
      }
      return Optional.of(Outcome.reply(Reply.builder("Those choices are for the user who asked; say what you"
          + " want yourself, or `help`.").ephemeral(true).build()));
    } catch (RuntimeException e) {
      log.warn("event {}: could not read the offered choices: {}", LogSafe.ref(turn.event().service(),
          turn.event().id()), e.toString());
      return Optional.empty();
    }
  }

  /** The record of who was offered choices in a conversation (channel and thread), for everyone there. */
  static String choicesKey(ChatEvent event) {
    return Keys.hashed("choices", event.service(), event.service(), event.workspace(), event.channel(),
        event.thread().orElse(""));
  }

  static String key(ChatEvent event) {
    return Keys.hashed("conversation", event.service(), event.service(), event.workspace(), event.channel(),
        event.thread().orElse(""), event.user());
  }
}
