package ai.chatops.plugin.internal;

import ai.chatops.ConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Turns untrusted YAML text into a snakeyaml {@link Node} tree without constructing any object.
 *
 * <p>The text is read with a size cap, then its event stream is checked before any node is built: anchors and
 * aliases (the "billion laughs" expansion), non-standard tags ({@code !!java.net.URL}) and deep nesting are
 * refused there, with the line, by a loop that cannot overflow the stack. Only then is the tree composed, with
 * hardened {@link LoaderOptions} as a second line of defence.
 *
 * <p>snakeyaml's own exceptions are never attached as causes: their messages quote the offending source
 * line, which may hold a credential value.
 */
public final class SafeYaml {
  /** The largest document accepted, in characters. */
  public static final int MAX_CHARS = 256 * 1024;
  /** The deepest nesting of lists and maps accepted. */
  public static final int MAX_DEPTH = 20;

  private static final Set<String> STANDARD_TAGS =
      Set.of(
          Tag.STR.getValue(),
          Tag.INT.getValue(),
          Tag.FLOAT.getValue(),
          Tag.BOOL.getValue(),
          Tag.NULL.getValue(),
          Tag.SEQ.getValue(),
          Tag.MAP.getValue());

  private SafeYaml() {}

  /**
   * Reads and composes one YAML document.
   *
   * @return the root node, or {@code null} when the document is empty
   * @throws ConfigurationException when the text is too large, is not valid YAML, or uses anchors, aliases,
   *     non-standard tags or nesting deeper than {@link #MAX_DEPTH}
   */
  public static Node compose(String source, Reader reader) {
    String text = readLimited(source, reader);
    Yaml yaml = new Yaml(new SafeConstructor(loaderOptions()));
    try {
      check(source, yaml.parse(new StringReader(text)));
      return yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw syntaxError(source, e);
    } catch (ReaderException e) {
      throw new ConfigurationException(
          String.format(
              "%s: not valid YAML: character %d is the control character U+%04X; a config file is plain text",
              source, e.getPosition() + 1, e.getCodePoint()));
    } catch (YAMLException e) {
      throw new ConfigurationException(source + ": not valid YAML: " + redact(firstLine(e.getMessage())));
    }
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setNestingDepthLimit(MAX_DEPTH + 1);
    options.setCodePointLimit(MAX_CHARS + 1);
    options.setMergeOnCompose(false);
    options.setTagInspector(tag -> false);
    return options;
  }

  private static String readLimited(String source, Reader reader) {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    try {
      int n;
      while ((n = reader.read(buffer)) != -1) {
        text.append(buffer, 0, n);
        if (text.length() > MAX_CHARS) {
          throw new ConfigurationException(
              source
                  + ": the document is larger than "
                  + MAX_CHARS
                  + " characters; a plugin config.yaml is a few KiB, check that the right file is read");
        }
      }
    } catch (IOException e) {
      throw new ConfigurationException(source + ": could not be read: " + e, e);
    }
    return text.toString();
  }

  private static void check(String source, Iterable<Event> events) {
    int depth = 0;
    for (Event event : events) {
      if (event instanceof AliasEvent
          || (event instanceof NodeEvent && ((NodeEvent) event).getAnchor() != null)) {
        // The anchor name is left out: an unquoted value starting with '*' or '&' is read as one.
        throw ConfigProblems.at(
            source,
            event.getStartMark(),
            "",
            "anchors and aliases (&name, *name) are not allowed in a plugin config; write the value out,"
                + " and quote values that start with & or *");
      }
      String tag = null;
      if (event instanceof ScalarEvent) {
        tag = ((ScalarEvent) event).getTag();
      } else if (event instanceof CollectionStartEvent) {
        tag = ((CollectionStartEvent) event).getTag();
        depth++;
        if (depth > MAX_DEPTH) {
          throw ConfigProblems.at(
              source,
              event.getStartMark(),
              "",
              "lists and maps are nested deeper than " + MAX_DEPTH + " levels; a plugin config needs 3");
        }
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      }
      if (tag != null && !STANDARD_TAGS.contains(tag)) {
        // The tag is not quoted back: an unquoted value starting with '!' is read as one.
        throw ConfigProblems.at(
            source,
            event.getStartMark(),
            "",
            "tags (!name, !!name) other than the standard !!str, !!int, !!float, !!bool, !!null, !!seq and"
                + " !!map are not allowed; a plugin config holds plain strings, numbers, booleans, lists and"
                + " maps, and values starting with ! must be quoted");
      }
    }
  }

  private static ConfigurationException syntaxError(String source, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String where =
        mark == null
            ? source
            : source + " line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    StringBuilder message = new StringBuilder(where).append(": not valid YAML: ");
    if (e.getContext() != null) {
      message.append(e.getContext()).append(": ");
    }
    message.append(e.getProblem() == null ? "syntax error" : redact(e.getProblem()));
    return new ConfigurationException(message.toString());
  }

  /**
   * Drops the input that some snakeyaml messages echo after a colon (the digits of a bad escape, a version
   * number): the echoed text may be part of a credential. Single characters and token names stay.
   */
  static String redact(String problem) {
    String kept = problem.replaceAll("(?s)but found: .*", "but found something else");
    int colon = kept.indexOf(": ");
    return colon < 0 ? kept : kept.substring(0, colon);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
