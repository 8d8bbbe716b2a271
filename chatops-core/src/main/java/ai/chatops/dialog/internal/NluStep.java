package ai.chatops.dialog.internal;

import ai.chatops.toolkit.LogSafe;
import ai.chatops.ChatOpsException;
import ai.chatops.dialog.DialogParser;
import ai.chatops.nlu.NluEngine;
import ai.chatops.nlu.NluQuery;
import ai.chatops.nlu.NluResult;
import ai.chatops.dialog.Outcome;
import ai.chatops.dialog.Turn;
import ai.chatops.plugin.Route;
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
    Map<String, String> attributes = new LinkedHashMap<>();
    result.get().attributes().forEach((k, v) -> {
      if (route.get().attributes().contains(k)) {
        attributes.put(k, v);
      }
    });
    return Outcome.invoke(route.get(), attributes, result.get().confidence(), result.get().via());
  }
}
