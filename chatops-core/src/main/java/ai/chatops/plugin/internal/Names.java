package ai.chatops.plugin.internal;

import ai.chatops.ConfigurationException;
import java.util.Objects;
import java.util.regex.Pattern;

/** The naming rules of plugins, actions, attributes and credentials, in one place. */
public final class Names {
  /** Plugin names and route actions: {@code jenkins}, {@code build}, {@code pull-request}. */
  public static final Pattern LOWER_KEBAB = Pattern.compile("[a-z][a-z0-9-]*");
  /** Attribute and credential names: {@code BRANCH}, {@code JENKINS_URL}. */
  public static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9_]*");

  private Names() {}

  /** Returns {@code name} if it is a valid plugin name, or throws naming the rule. */
  public static String requirePluginName(String name) {
    Objects.requireNonNull(name, "pluginName");
    if (!LOWER_KEBAB.matcher(name).matches()) {
      throw new ConfigurationException(
          "plugin name '"
              + name
              + "' is not valid; use lower-case letters, digits and '-', starting with a letter"
              + " ([a-z][a-z0-9-]*), e.g. 'jenkins'");
    }
    return name;
  }

  /** Whether {@code name} is UPPER_SNAKE. */
  public static boolean isUpperSnake(String name) {
    return UPPER_SNAKE.matcher(name).matches();
  }

  /** Whether {@code action} is a valid route action. */
  public static boolean isAction(String action) {
    return LOWER_KEBAB.matcher(action).matches();
  }
}
