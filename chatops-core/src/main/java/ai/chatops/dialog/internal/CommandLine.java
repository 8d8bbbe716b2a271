package ai.chatops.dialog.internal;

import ai.chatops.plugin.Route;
import java.util.Map;

/** Writes a route and attributes back as the explicit command that would invoke them. */
final class CommandLine {
  private CommandLine() {}

  static String of(Route route, Map<String, String> attributes) {
    StringBuilder sb = new StringBuilder(route.plugin()).append(' ').append(route.action());
    for (String name : route.attributes()) {
      String value = attributes.get(name);
      if (value != null) {
        sb.append(' ').append(name).append('=');
        sb.append(value.matches("[^\\s\"'\\\\]+") ? value : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
      }
    }
    return sb.toString();
  }
}
