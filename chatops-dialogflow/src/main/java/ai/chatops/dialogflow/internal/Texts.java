package ai.chatops.dialogflow.internal;

/** Fits a message into DialogFlow's limit on query text. */
public final class Texts {
  /** DialogFlow's longest text input, in characters. */
  public static final int MAX_LENGTH = 256;

  private Texts() {}

  /**
   * Returns {@code text} unchanged when it fits in {@code max} characters; otherwise cut at the last white
   * space at or before {@code max} (or at {@code max} when a single word is longer), trailing white space
   * removed, never splitting a surrogate pair.
   */
  public static String fit(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = max;
    if (Character.isWhitespace(text.charAt(cut))) {
      // The word before the cut ends exactly there.
    } else {
      int space = cut - 1;
      while (space > 0 && !Character.isWhitespace(text.charAt(space))) {
        space--;
      }
      if (space > 0) {
        cut = space;
      } else if (Character.isLowSurrogate(text.charAt(cut)) && Character.isHighSurrogate(text.charAt(cut - 1))) {
        cut--;
      }
    }
    int end = cut;
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
