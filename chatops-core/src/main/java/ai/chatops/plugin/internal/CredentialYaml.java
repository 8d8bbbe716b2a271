package ai.chatops.plugin.internal;

import java.io.StringReader;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Text surgery on a validated {@code config.yaml}: replaces each credential value under {@code Credentials}
 * in place (the rest of the document, comments and line breaks included, stays as written), and finds which
 * plugin the document's routes name.
 */
public final class CredentialYaml {
  private static final Pattern ROUTE_PLUGIN = Pattern.compile("/v1/([^/]*)/.*");

  private CredentialYaml() {}

  /**
   * Returns {@code text} with the value of each credential written out (even as {@code ""}) replaced by
   * {@code replacement.apply(name)}, a YAML scalar such as {@code ""} or {@code "***"}; a null replacement
   * leaves that value as it is.
   */
  public static String replaceValues(String source, String text, Function<String, String> replacement) {
    Node root = SafeYaml.compose(source, new StringReader(text));
    if (!(root instanceof MappingNode)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text);
    // From the end, so that earlier offsets stay valid.
    java.util.List<int[]> ranges = new java.util.ArrayList<>();
    java.util.List<String> replacements = new java.util.ArrayList<>();
    for (NodeTuple top : ((MappingNode) root).getValue()) {
      if (!(top.getKeyNode() instanceof ScalarNode)
          || !((ScalarNode) top.getKeyNode()).getValue().equalsIgnoreCase("Credentials")
          || !(top.getValueNode() instanceof MappingNode)) {
        continue;
      }
      for (NodeTuple entry : ((MappingNode) top.getValueNode()).getValue()) {
        Node value = entry.getValueNode();
        String replaced = value instanceof ScalarNode
            ? replacement.apply(((ScalarNode) entry.getKeyNode()).getValue()) : null;
        if (replaced == null || value.getStartMark().getIndex() == value.getEndMark().getIndex()) {
          continue; // not wanted, or no value written at all ("NAME:")
        }
        int start = text.offsetByCodePoints(0, value.getStartMark().getIndex());
        int end = text.offsetByCodePoints(0, value.getEndMark().getIndex());
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
          end--; // a block scalar's range runs on to the next line
        }
        ranges.add(new int[] {start, end});
        replacements.add(replaced);
      }
    }
    for (int i = ranges.size() - 1; i >= 0; i--) {
      out.replace(ranges.get(i)[0], ranges.get(i)[1], replacements.get(i));
    }
    return out.toString();
  }

  /** The plugin named by the first route of the document ({@code /v1/<plugin>/...}), if there is one. */
  public static Optional<String> pluginOfRoutes(String source, String text) {
    Node root = SafeYaml.compose(source, new StringReader(text));
    if (!(root instanceof MappingNode)) {
      return Optional.empty();
    }
    for (NodeTuple top : ((MappingNode) root).getValue()) {
      if (top.getKeyNode() instanceof ScalarNode
          && ((ScalarNode) top.getKeyNode()).getValue().equalsIgnoreCase("Routes")
          && top.getValueNode() instanceof SequenceNode
          && !((SequenceNode) top.getValueNode()).getValue().isEmpty()) {
        Node first = ((SequenceNode) top.getValueNode()).getValue().get(0);
        if (first instanceof MappingNode && !((MappingNode) first).getValue().isEmpty()) {
          first = ((MappingNode) first).getValue().get(0).getKeyNode();
        }
        if (first instanceof ScalarNode) {
          Matcher m = ROUTE_PLUGIN.matcher(((ScalarNode) first).getValue());
          if (m.matches()) {
            return Optional.of(m.group(1));
          }
        }
      }
    }
    return Optional.empty();
  }
}
