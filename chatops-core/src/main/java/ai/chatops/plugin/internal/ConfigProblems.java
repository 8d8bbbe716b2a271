package ai.chatops.plugin.internal;

import ai.chatops.ConfigurationException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Formats configuration errors as {@code <source> line <n>: <field>: <problem>}. */
public final class ConfigProblems {
  private ConfigProblems() {}

  /** An error at the start of {@code node}; {@code field} may be empty for the document itself. */
  public static ConfigurationException at(String source, Node node, String field, String problem) {
    return at(source, node.getStartMark(), field, problem);
  }

  /** An error at {@code mark}; {@code field} may be empty for the document itself. */
  public static ConfigurationException at(String source, Mark mark, String field, String problem) {
    return at(source, mark == null ? 1 : mark.getLine() + 1, field, problem);
  }

  /** An error at a 1-based line; {@code field} may be empty for the document itself. */
  public static ConfigurationException at(String source, int line, String field, String problem) {
    String where = source + " line " + line + ": ";
    return new ConfigurationException(field.isEmpty() ? where + problem : where + field + ": " + problem);
  }

  /** The 1-based line on which {@code node} starts. */
  public static int line(Node node) {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }
}
