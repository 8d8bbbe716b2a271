package ai.chatops.dialog.internal;

import ai.chatops.toolkit.LogSafe;
import ai.chatops.ChatOpsException;
import ai.chatops.dialog.DialogParser;
import ai.chatops.nlu.NluDecision;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.plugin.Route;
import ai.chatops.service.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the {@link NluEngine} what a free-text message means. An answer naming a declared route becomes an
 * invocation with the engine's confidence (attributes the route does not declare are dropped); the
 * conversation step asks the user to confirm an unsure one. No answer gets the closest routes the engine
 * can suggest, or goes on down the chain.
 */
public final class NluStep implements DialogParser {
  private static final Logger log = LoggerFactory.getLogger(NluStep.class);

  private final NluEngine engine;

  public NluStep(NluEngine engine) {
    this.engine = engine;
  }

  private List<Route> closest(Turn turn) {
    try {
      return engine.closest(new NluQuery(turn.text(), turn.event(), turn.catalog()), 3).stream()
          .map(r -> turn.catalog().route(r.route()))
          .flatMap(Optional::stream)
          .distinct()
          .collect(Collectors.toList());
    } catch (RuntimeException e) {
      log.warn("event {}: the NLU engine failed to suggest routes: {}", LogSafe.ref(turn.event().service(), turn.event().id()), e.toString());
      return List.of();
    }
  }

  // "jenkins bulid ID=x" is better answered by the grammar's own hints than by suggestions.
  private static boolean startsWithPlugin(Turn turn) {
    return turn.catalog().plugin(turn.text().split(" ", 2)[0].toLowerCase(java.util.Locale.ROOT)).isPresent();
  }

  @Override
  public Outcome parse(Chain chain) {
    Turn turn = chain.turn();
    Optional<NluResult> result;
    try {
      result = engine.understand(new NluQuery(turn.text(), turn.event(), turn.catalog()));
    } catch (ChatOpsException | IllegalStateException e) {
      log.warn("event {}: the NLU engine failed: {}", LogSafe.ref(turn.event().service(), turn.event().id()),
          e.toString());
      return Outcome.reply("I can't understand free text right now (the language service failed). "
          + "The explicit form still works; say `help` to see it.");
    }
    if (result.isEmpty()) {
      List<Route> closest = closest(turn);
      if (closest.isEmpty() || startsWithPlugin(turn)) {
        return chain.proceed(turn);
      }
      return Outcome.reply("Sorry, I didn't understand that. The closest I know: "
          + closest.stream().map(r -> "`" + HelpStep.usage(r) + "`").collect(Collectors.joining(", "))
          + ". Say `help` to see everything I can do.");
    }
    if (result.get().answer().isPresent()) {
      return Outcome.reply(result.get().answer().get());
    }
    Optional<Route> route = turn.catalog().route(result.get().route());
    if (route.isEmpty()) {
      log.warn("event {}: the NLU engine answered {}, which no plugin declares", LogSafe.ref(turn.event().service(), turn.event().id()), result.get().route());
      return chain.proceed(turn);
    }
    if (route.get().confirm()) {
      // A dangerous route is never proposed over a safe one on thin evidence: offer both (issue #23).
      NluDecision decision = NluDecision.decide(result, closest(turn, 3), turn.catalog(), 0,
          NluDecision.DEFAULT_DANGER_MARGIN);
      if (decision.kind() == NluDecision.Kind.CHOOSE) {
        return choose(turn, decision.options());
      }
    }
    return Outcome.invoke(route.get(), declared(route.get(), result.get()), result.get().confidence(),
        result.get().via());
  }

  private static Map<String, String> declared(Route route, NluResult result) {
    Map<String, String> attributes = new LinkedHashMap<>();
    result.attributes().forEach((k, v) -> {
      if (route.attributes().contains(k)) {
        attributes.put(k, v);
      }
    });
    return attributes;
  }

  private List<NluResult> closest(Turn turn, int limit) {
    try {
      return engine.closest(new NluQuery(turn.text(), turn.event(), turn.catalog()), limit);
    } catch (RuntimeException e) {
      log.warn("event {}: the NLU engine failed to rank routes: {}", LogSafe.ref(turn.event().service(), turn.event().id()), e.toString());
      return List.of();
    }
  }

  /** "Did you mean X or Y?", each a button that sends its explicit command, so the grammar resolves it. */
  private static Outcome choose(Turn turn, List<NluResult> options) {
    Reply.Builder reply = Reply.builder("Did you mean " + options.stream()
        .map(o -> "`" + command(turn, o) + "`").collect(Collectors.joining(" or ")) + "?");
    for (NluResult o : options) {
      reply.choice(command(turn, o), command(turn, o));
    }
    return Outcome.reply(reply.build());
  }

  private static String command(Turn turn, NluResult option) {
    Route route = turn.catalog().route(option.route()).orElseThrow();
    return CommandLine.of(route, declared(route, option));
  }
}
