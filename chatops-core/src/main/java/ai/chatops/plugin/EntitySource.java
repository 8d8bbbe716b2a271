package ai.chatops.plugin;

import java.util.Map;
import java.util.Set;

/**
 * A plugin that knows at run time which values its attributes take, such as the job names, folders and recent
 * branches of a Jenkins server. A {@link Plugin} may implement it; the natural-language engine then prefers
 * these values over filler words ("did the build pass last time?" names no job called {@code time}) and
 * writes them as the plugin spells them.
 *
 * <p>The router calls {@link #entityValues()} off the event path, once connected, from its first free-text
 * message on and then every 5 minutes, and keeps the last answer: a slow or failing server never delays a
 * message, and a failure keeps the previous values. The values also check the required attributes of
 * requests, explicit commands included: an unknown value is asked about, with the closest known ones.
 * Implementations must be thread-safe; they may call the network and may throw, which is logged.
 */
@FunctionalInterface
public interface EntitySource {
  /**
   * The values each attribute takes now, by attribute name as in {@code config.yaml} (such as {@code ID} for
   * the job names and folders, {@code BRANCH} for recent branches). Attributes not named keep their behaviour
   * (any word shaped like a value is taken). An empty set for an attribute means "none known", not "none
   * allowed".
   */
  Map<String, Set<String>> entityValues();
}
