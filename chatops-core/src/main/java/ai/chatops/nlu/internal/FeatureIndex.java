package ai.chatops.nlu.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tagger's features, seen two ways: as the names training gives them ("w=build", "p1=on|k=unk"), and as
 * the same features filed by template and symbols, so that a message finds its features' weight rows without
 * building a name. Immutable after construction and thread-safe.
 *
 * <p>Every string that is part of a feature name (word, stem, shape, kind, tag, entity type) gets a symbol,
 * and each feature is filed under its template and symbols. A message looks up its words once and finds its
 * features in a primitive table keyed by those symbols. {@link #names} and {@link #find} must name the same
 * features in the same order: the weights are summed in that order.
 */
final class FeatureIndex {
  /** The most static features one token has: the room per token in {@link Scratch#featureRows}. */
  static final int PER_TOKEN = 20;

  // The templates: the structure of the feature names (see names), one per kind of name.
  private static final int W = 1;
  private static final int ST = 2;
  private static final int SH = 3;
  private static final int K = 4;
  private static final int E = 5;
  private static final int P1 = 6;
  private static final int P2 = 7;
  private static final int N1 = 8;
  private static final int N2 = 9;
  private static final int P1K = 10;
  private static final int N1K = 11;
  private static final int P2P1 = 12;
  private static final int PK = 13;
  private static final int NK = 14;
  private static final int PT = 15;
  private static final int PTK = 16;
  // A word's kind: part of a recognised entity value, a stop word, a word of the training phrases' context.
  private static final String[] KINDS = {"ent", "stop", "known", "unk"};
  private static final int ENT = 0;
  private static final int STOP = 1;
  private static final int KNOWN = 2;
  private static final int UNK = 3;

  // The offsets in a symbol's STRIDE ints of symbolRows: its one-symbol features (in the order of SINGLE),
  // then the features of it as the previous and as the next word with each of the four kinds.
  private static final int[] SINGLE = {W, ST, SH, E, P1, P2, N1, N2};
  private static final int AS_W = 0;
  private static final int AS_ST = 1;
  private static final int AS_SH = 2;
  private static final int AS_E = 3;
  private static final int AS_P1 = 4;
  private static final int AS_P2 = 5;
  private static final int AS_N1 = 6;
  private static final int AS_N2 = 7;
  private static final int AS_P1K = SINGLE.length;
  private static final int AS_N1K = AS_P1K + KINDS.length;
  private static final int STRIDE = AS_N1K + KINDS.length;

  // Whether the word of each symbol is a context word (every context word has one: training names "w=" + it).
  private final boolean[] contextSymbol;
  private final Symbols symbols = new Symbols();
  private final LongIntMap featureRow;
  // The constant features' rows, -1 for those training never named.
  private final int biasRow;
  private final int dashRow;
  private final int slashRow;
  private final int dotRow;
  private final int equalsRow;
  private final int digitRow;
  private final int startSymbol;
  private final int endSymbol;
  private final int[] kindSymbol;
  // The previous-tag features' rows, by previous tag (the last index: the start of a message) and, for the
  // second, by kind: looked up once here rather than per word and candidate.
  private final int[] previousTagRows;
  private final int[] previousTagKindRows;
  private final ShapeTable shapes;
  // The rows of the features of one symbol, and of a symbol with a kind, symbol by symbol (STRIDE ints each,
  // -1 where training never named one): read from the table above once, here, so that a message finds a word's
  // features by array index instead of hashing a key per feature. Only the word pairs (P2P1) stay hashed.
  private final int[] symbolRows;
  // The rows of "pk=" and "nk=" features, by the neighbour's kind symbol (the four kinds, then start and end)
  // and the word's kind.
  private final int[] kindPairRows;
  // The rows of "k=" features, by kind.
  private final int[] kindRows;

  /**
   * Files the features training named.
   *
   * @param rows each feature name's weight row
   * @param contextWords the lower-case words of the training phrases outside attribute values
   */
  FeatureIndex(Map<String, Integer> rows, TagSet tags, Set<String> contextWords) {
    this.featureRow = new LongIntMap(rows.size());
    Map<String, Integer> shapeSymbols = new HashMap<>();
    for (Map.Entry<String, Integer> feature : rows.entrySet()) {
      index(feature.getKey(), feature.getValue(), shapeSymbols);
    }
    this.shapes = new ShapeTable(shapeSymbols);
    this.contextSymbol = new boolean[symbols.size()];
    for (String word : contextWords) {
      int symbol = symbols.get(word);
      if (symbol < 0) {
        throw new IllegalStateException("context word '" + word + "' has no feature \"w=" + word + "\"");
      }
      contextSymbol[symbol] = true;
    }
    this.biasRow = rows.getOrDefault("bias", -1);
    this.dashRow = rows.getOrDefault("has-", -1);
    this.slashRow = rows.getOrDefault("has/", -1);
    this.dotRow = rows.getOrDefault("has.", -1);
    this.equalsRow = rows.getOrDefault("has=", -1);
    this.digitRow = rows.getOrDefault("hasdigit", -1);
    this.startSymbol = symbols.get("<s>");
    this.endSymbol = symbols.get("</s>");
    this.kindSymbol = new int[KINDS.length];
    for (int k = 0; k < KINDS.length; k++) {
      kindSymbol[k] = symbols.get(KINDS[k]);
    }
    this.previousTagRows = new int[tags.size() + 1];
    this.previousTagKindRows = new int[(tags.size() + 1) * KINDS.length];
    for (int t = 0; t <= tags.size(); t++) {
      int previous = t == tags.size() ? startSymbol : symbols.get(tags.name(t));
      previousTagRows[t] = featureRow.get(key(PT, previous));
      for (int k = 0; k < KINDS.length; k++) {
        previousTagKindRows[t * KINDS.length + k] = featureRow.get(key(PTK, previous, kindSymbol[k]));
      }
    }
    this.symbolRows = symbolRows();
    this.kindRows = new int[KINDS.length];
    for (int k = 0; k < KINDS.length; k++) {
      kindRows[k] = featureRow.get(key(K, kindSymbol[k]));
    }
    this.kindPairRows = kindPairRows();
  }

  /** Reads {@link #symbolRows} out of the feature table: the same rows a message would look up. */
  private int[] symbolRows() {
    int[] table = new int[symbols.size() * STRIDE];
    for (int symbol = 0; symbol < symbols.size(); symbol++) {
      int at = symbol * STRIDE;
      for (int k = 0; k < SINGLE.length; k++) {
        table[at + k] = featureRow.get(key(SINGLE[k], symbol));
      }
      for (int k = 0; k < KINDS.length; k++) {
        table[at + AS_P1K + k] = featureRow.get(key(P1K, symbol, kindSymbol[k]));
        table[at + AS_N1K + k] = featureRow.get(key(N1K, symbol, kindSymbol[k]));
      }
    }
    return table;
  }

  /** Reads {@link #kindPairRows} out of the feature table. */
  private int[] kindPairRows() {
    int[] table = new int[2 * (KINDS.length + 2) * KINDS.length];
    for (int n = 0; n < KINDS.length + 2; n++) {
      int neighbour = n < KINDS.length ? kindSymbol[n] : n == KINDS.length ? startSymbol : endSymbol;
      for (int k = 0; k < KINDS.length; k++) {
        table[(n * KINDS.length + k) * 2] = featureRow.get(key(PK, neighbour, kindSymbol[k]));
        table[(n * KINDS.length + k) * 2 + 1] = featureRow.get(key(NK, neighbour, kindSymbol[k]));
      }
    }
    return table;
  }

  /** The row of feature {@code offset} (of the STRIDE) of {@code symbol}; -1 for no symbol. */
  private int symbolRow(int symbol, int offset) {
    return symbol < 0 ? -1 : symbolRows[symbol * STRIDE + offset];
  }

  /** The strings that are part of some feature's name: words, stems, shapes, kinds, tags, entity types. */
  Set<String> words() {
    return symbols.strings();
  }

  /** The symbol of a string that is part of some feature's name, or -1. */
  int symbol(String word) {
    return symbols.get(word);
  }

  /** The kind of a word, as feature names spell it. */
  static String kind(Token token, String mentionType, Set<String> contextWords) {
    if (mentionType != null) {
      return KINDS[ENT];
    }
    if (Text.isStop(token)) {
      return KINDS[STOP];
    }
    return contextWords.contains(token.lower()) ? KINDS[KNOWN] : KINDS[UNK];
  }

  /** The names of the static features of token {@code i}: all but the previous tag's, which depends on the run. */
  static List<String> names(List<Token> tokens, String[] mentionType, int i, Set<String> contextWords) {
    Token t = tokens.get(i);
    String kind = kind(t, mentionType[i], contextWords);
    List<String> f = new ArrayList<>(24);
    f.add("bias");
    f.add("w=" + t.lower());
    f.add("st=" + t.stem());
    f.add("sh=" + Text.shape(t.text()));
    f.add("k=" + kind);
    if (mentionType[i] != null) {
      f.add("e=" + mentionType[i]);
    }
    String w = t.text();
    if (w.indexOf('-') >= 0) {
      f.add("has-");
    }
    if (w.indexOf('/') >= 0) {
      f.add("has/");
    }
    if (w.indexOf('.') >= 0) {
      f.add("has.");
    }
    if (w.indexOf('=') >= 0) {
      f.add("has=");
    }
    if (hasDigit(w)) {
      f.add("hasdigit");
    }
    String p1 = i > 0 ? tokens.get(i - 1).lower() : "<s>";
    String p2 = i > 1 ? tokens.get(i - 2).lower() : "<s>";
    String n1 = i + 1 < tokens.size() ? tokens.get(i + 1).lower() : "</s>";
    String n2 = i + 2 < tokens.size() ? tokens.get(i + 2).lower() : "</s>";
    f.add("p1=" + p1);
    f.add("p2=" + p2);
    f.add("n1=" + n1);
    f.add("n2=" + n2);
    f.add("p1=" + p1 + "|k=" + kind);
    f.add("n1=" + n1 + "|k=" + kind);
    f.add("p2p1=" + p2 + "_" + p1);
    String pk = i > 0 ? kind(tokens.get(i - 1), mentionType[i - 1], contextWords) : "<s>";
    String nk = i + 1 < tokens.size() ? kind(tokens.get(i + 1), mentionType[i + 1], contextWords) : "</s>";
    f.add("pk=" + pk + "|k=" + kind);
    f.add("nk=" + nk + "|k=" + kind);
    return f;
  }

  /** The names of the previous-tag features of a token of this kind after tag {@code previous}. */
  static List<String> previousTagNames(String previous, String kind) {
    return List.of("pt=" + previous, "pt=" + previous + "|k=" + kind);
  }

  /**
   * Files a feature under every template and symbols whose name it is. Names are concatenations, so one may
   * read several ways ("p1=a|k=unk" is the previous word "a|k=unk", and the previous word "a" of kind "unk"):
   * each reading is filed, so that a message finds exactly the features its names would find.
   */
  private void index(String name, int row, Map<String, Integer> shapeSymbols) {
    int eq = name.indexOf('=');
    if (eq < 0 || name.equals("has=")) {
      return; // bias, has-, has/, has., has=, hasdigit: constant features, kept as fields
    }
    String rest = name.substring(eq + 1);
    switch (name.substring(0, eq + 1)) {
      case "w=" -> featureRow.put(key(W, symbols.intern(rest)), row);
      case "st=" -> featureRow.put(key(ST, symbols.intern(rest)), row);
      case "sh=" -> {
        featureRow.put(key(SH, symbols.intern(rest)), row);
        shapeSymbols.put(rest, symbols.intern(rest));
      }
      case "k=" -> featureRow.put(key(K, symbols.intern(rest)), row);
      case "e=" -> featureRow.put(key(E, symbols.intern(rest)), row);
      case "p2=" -> featureRow.put(key(P2, symbols.intern(rest)), row);
      case "n2=" -> featureRow.put(key(N2, symbols.intern(rest)), row);
      case "p1=" -> {
        featureRow.put(key(P1, symbols.intern(rest)), row);
        indexSplits(P1K, rest, "|k=", row);
      }
      case "n1=" -> {
        featureRow.put(key(N1, symbols.intern(rest)), row);
        indexSplits(N1K, rest, "|k=", row);
      }
      case "pt=" -> {
        featureRow.put(key(PT, symbols.intern(rest)), row);
        indexSplits(PTK, rest, "|k=", row);
      }
      case "p2p1=" -> indexSplits(P2P1, rest, "_", row);
      case "pk=" -> indexSplits(PK, rest, "|k=", row);
      case "nk=" -> indexSplits(NK, rest, "|k=", row);
      default -> throw new IllegalStateException("unknown tagger feature " + name);
    }
  }

  private void indexSplits(int template, String rest, String separator, int row) {
    for (int at = rest.indexOf(separator); at >= 0; at = rest.indexOf(separator, at + 1)) {
      int first = symbols.intern(rest.substring(0, at));
      featureRow.put(key(template, first, symbols.intern(rest.substring(at + separator.length()))), row);
    }
  }

  private static long key(int template, int a) {
    return a < 0 ? -1 : ((long) template << 58) | a;
  }

  private static long key(int template, int a, int b) {
    return a < 0 || b < 0 ? -1 : ((long) template << 58) | ((long) a << 29) | b;
  }

  /**
   * Finds the static features of every token, in the order {@link #names} names them, once per message:
   * token {@code i}'s rows are {@code s.featureRows[s.featureEnd[i - 1], s.featureEnd[i])}. Also writes each
   * token's kind into {@code s.kind}. Reads {@code s.mentionType}, {@code s.stop}, and the symbols of each word
   * and stem in {@code s.lower} and {@code s.stemSymbol} (see {@link Lexicon#lookUp}).
   */
  void find(List<Token> tokens, Scratch s) {
    if (s.featuresFound) {
      return;
    }
    s.featuresFound = true;
    findKinds(tokens, s);
    int size = tokens.size();
    int[] lower = s.lower;
    int[] rows = s.featureRows;
    int at = 0;
    for (int i = 0; i < size; i++) {
      Token t = tokens.get(i);
      int kind = s.kind[i];
      at = put(rows, at, biasRow);
      at = put(rows, at, symbolRow(lower[i], AS_W));
      at = put(rows, at, symbolRow(s.stemSymbol[i], AS_ST));
      at = put(rows, at, symbolRow(shapes.get(s.shape, Text.shape(t.text(), s.shape)), AS_SH));
      at = put(rows, at, kindRows[kind]);
      if (s.mentionType[i] != null) {
        at = put(rows, at, symbolRow(symbols.get(s.mentionType[i]), AS_E));
      }
      at = findCharacters(t.text(), rows, at);
      at = findContext(i, size, kind, s, rows, at);
      s.featureEnd[i] = at;
    }
  }

  /**
   * The rows of word {@code i}'s context features (p1, p2, n1, n2, p1|k, n1|k, p2_p1, pk|k, nk|k), in that
   * order, put from {@code at}; the new end.
   */
  private int findContext(int i, int size, int kind, Scratch s, int[] rows, int at) {
    int[] lower = s.lower;
    int p1 = i > 0 ? lower[i - 1] : startSymbol;
    int p2 = i > 1 ? lower[i - 2] : startSymbol;
    int n1 = i + 1 < size ? lower[i + 1] : endSymbol;
    int n2 = i + 2 < size ? lower[i + 2] : endSymbol;
    at = put(rows, at, symbolRow(p1, AS_P1));
    at = put(rows, at, symbolRow(p2, AS_P2));
    at = put(rows, at, symbolRow(n1, AS_N1));
    at = put(rows, at, symbolRow(n2, AS_N2));
    at = put(rows, at, symbolRow(p1, AS_P1K + kind));
    at = put(rows, at, symbolRow(n1, AS_N1K + kind));
    at = put(rows, at, featureRow.get(key(P2P1, p2, p1)));
    int pk = i > 0 ? s.kind[i - 1] : KINDS.length;
    int nk = i + 1 < size ? s.kind[i + 1] : KINDS.length + 1;
    at = put(rows, at, kindPairRows[(pk * KINDS.length + kind) * 2]);
    return put(rows, at, kindPairRows[(nk * KINDS.length + kind) * 2 + 1]);
  }

  private void findKinds(List<Token> tokens, Scratch s) {
    for (int i = 0; i < tokens.size(); i++) {
      int lower = s.lower[i];
      s.kind[i] = s.mentionType[i] != null ? ENT : s.stop[i] ? STOP : lower >= 0 && contextSymbol[lower] ? KNOWN : UNK;
    }
  }

  /**
   * The rows of the constant features a word's characters give: dashes, slashes, dots, "=", digits; found in
   * one pass over the word, put in that order.
   */
  private int findCharacters(String w, int[] rows, int at) {
    boolean dash = false;
    boolean slash = false;
    boolean dot = false;
    boolean equals = false;
    boolean digit = false;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      switch (c) {
        case '-' -> dash = true;
        case '/' -> slash = true;
        case '.' -> dot = true;
        case '=' -> equals = true;
        default -> digit |= c >= '0' && c <= '9' || c >= 0x80 && Character.isDigit(c);
      }
    }
    at = dash ? put(rows, at, dashRow) : at;
    at = slash ? put(rows, at, slashRow) : at;
    at = dot ? put(rows, at, dotRow) : at;
    // "=" alone: KEY=value is a job parameter, while "_" is as common in job names (geo_tiles2) as in keys
    at = equals ? put(rows, at, equalsRow) : at;
    return digit ? put(rows, at, digitRow) : at;
  }

  private static int put(int[] rows, int at, int row) {
    if (row < 0) {
      return at;
    }
    rows[at] = row;
    return at + 1;
  }

  /**
   * The row of the feature "the previous tag was {@code previous}", or -1; {@code previous} is a tag, or the
   * tag count for the start of a message.
   */
  int previousTagRow(int previous) {
    return previousTagRows[previous];
  }

  /**
   * The row of the feature "after tag {@code previous}, a word of kind {@code kind}" (see Scratch.kind), or -1;
   * {@code previous} as in {@link #previousTagRow}.
   */
  int previousTagAndKindRow(int previous, int kind) {
    return previousTagKindRows[previous * KINDS.length + kind];
  }

  /** Whether {@code w} has a digit (as {@code Character.isDigit} of each UTF-16 unit), without a stream. */
  private static boolean hasDigit(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (Character.isDigit(w.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
