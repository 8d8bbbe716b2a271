package ai.chatops.console;

import ai.chatops.BadRequestException;
import ai.chatops.WebhookRequest;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Received;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A terminal as a chat platform, as Hubot's shell adapter is: each line typed is a message to the bot, and
 * replies are printed: the text, then each field and the link as {@code title: value}, then the choices
 * numbered ({@code 1) Roll back}); typing a choice's number picks it. An ephemeral reply is marked
 * {@code (only you)}. It goes through the same {@code EventRouter} path as any platform, so the console
 * shows the whole life of an event with no account anywhere.
 *
 * <p>Requests are {@code POST /console} with the message as a UTF-8 body; the optional header
 * {@code X-Console-User} names the speaker ("you" by default). {@link #request(String)} builds one.
 * Thread-safe; replies are printed whole, one at a time.
 */
public final class ConsoleService implements ServiceHandler {
  /** The path the console is mounted at. */
  public static final String PATH = "/console";

  private final PrintStream out;
  private final Clock clock;
  private final AtomicLong ids = new AtomicLong();
  private volatile List<Reply.Choice> offered = List.of();
  private final String runId = Long.toString(System.nanoTime(), 36);

  private ConsoleService(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** A console printing replies to {@code out}. */
  public static ConsoleService create(PrintStream out) {
    return create(out, Clock.systemUTC());
  }

  public static ConsoleService create(PrintStream out, Clock clock) {
    return new ConsoleService(Objects.requireNonNull(out, "out"), Objects.requireNonNull(clock, "clock"));
  }

  /** The request that says {@code line} to the bot. */
  public static WebhookRequest request(String line) {
    return WebhookRequest.builder("POST", PATH).header("Content-Type", "text/plain; charset=utf-8")
        .body(line).build();
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public Received receive(WebhookRequest request) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(request.body()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadRequestException(400, "the console message is not valid UTF-8");
    }
    List<Reply.Choice> choices = offered;
    String typed = text.trim();
    if (typed.matches("[1-9][0-9]?") && Integer.parseInt(typed) <= choices.size()) {
      text = choices.get(Integer.parseInt(typed) - 1).value(); // the number of a choice picks it
    }
    String user = request.header("X-Console-User").orElse("you");
    if (!user.matches("[\\p{L}\\p{N}._-]{1,64}")) {
      throw new BadRequestException(400, "X-Console-User must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    // Ids are unique per console run, so that a later run with a durable store is not taken for a retry.
    ChatEvent event = ChatEvent.builder(name(), runId + "-" + ids.incrementAndGet())
        .channel("console")
        .user(user)
        .text(text)
        .time(clock.instant())
        .build();
    return Received.ack(event);
  }

  @Override
  public void deliver(Conversation conversation, Reply reply) {
    String text = render(reply);
    if (!reply.choices().isEmpty()) {
      offered = reply.choices();
    }
    synchronized (out) {
      boolean first = true;
      for (String line : text.split("\n", -1)) {
        out.println((first ? "bot> " : "     ") + line);
        first = false;
      }
      out.flush();
    }
  }

  /** A reply as the console prints it, before the {@code bot>} prefix and the indentation. */
  static String render(Reply reply) {
    StringBuilder sb = new StringBuilder(reply.text());
    if (reply.ephemeral()) {
      sb.append(" (only you)");
    }
    for (Reply.Field f : reply.fields()) {
      sb.append('\n').append(f.title()).append(": ").append(f.value());
    }
    reply.link().ifPresent(link -> sb.append('\n').append(link.title()).append(": ").append(link.url()));
    List<Reply.Choice> choices = reply.choices();
    for (int i = 0; i < choices.size(); i++) {
      sb.append('\n').append(i + 1).append(") ").append(choices.get(i).label());
    }
    return sb.toString();
  }
}
