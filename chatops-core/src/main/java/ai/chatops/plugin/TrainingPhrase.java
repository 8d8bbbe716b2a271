package ai.chatops.plugin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One example sentence of an intent, in parts: plain text, and annotated spans that show where a parameter's
 * value stands, as in DialogFlow's {@code _usersays_} files.
 *
 * @param parts the sentence, in order; joined they give the sentence
 */
public record TrainingPhrase(List<Part> parts) {
  /** Checks that there is at least one part. */
  public TrainingPhrase {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a training phrase needs at least one part");
    }
  }

  /** A phrase of plain text with no annotated value. */
  public static TrainingPhrase of(String text) {
    return new TrainingPhrase(List.of(Part.text(text)));
  }

  /** The whole sentence. */
  public String text() {
    if (parts.size() == 1) {
      return parts.get(0).text();
    }
    StringBuilder text = new StringBuilder();
    for (Part part : parts) {
      text.append(part.text());
    }
    return text.toString();
  }

  /**
   * A piece of a training phrase.
   *
   * @param text the words, as written
   * @param attribute the attribute this span is a value of (UPPER_SNAKE), or empty for plain text
   */
  public record Part(String text, Optional<String> attribute) {
    /** Checks that no component is null. */
    public Part {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(attribute, "attribute");
    }

    /** Plain text. */
    public static Part text(String text) {
      return new Part(text, Optional.empty());
    }

    /** The value of {@code attribute}. */
    public static Part value(String text, String attribute) {
      return new Part(text, Optional.of(attribute));
    }
  }
}
