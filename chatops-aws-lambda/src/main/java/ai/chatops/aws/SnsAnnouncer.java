package ai.chatops.aws;

import ai.chatops.ChatOpsException;
import ai.chatops.EventRouter;
import ai.chatops.WebhookRequest;
import ai.chatops.WebhookResponse;
import ai.chatops.plugin.Announcement;
import ai.chatops.plugin.Plugin;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import ai.chatops.toolkit.JsonLimits;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Turns Amazon SNS notifications (a CloudWatch alarm, a deployment finished) into something the bot says,
 * in one of three ways chosen when it is created:
 *
 * <ul>
 *   <li>{@link #toConversation}: the notification itself is said in a configured channel; a CloudWatch alarm
 *       is shown as its name, state and reason;
 *   <li>{@link #throughPlugin}: the plugin's {@link Plugin#hook} receives the notification's message as a
 *       webhook body and what it announces is delivered through the named services;
 *   <li>{@link #throughRoute}: the notification becomes a command said in the configured channel (for
 *       example {@code jenkins build ID=rollback}), submitted to the router like a message, with the
 *       notification as the event's {@code raw} payload; the SNS message id is the event id, so a
 *       redelivered notification runs the route once.
 * </ul>
 *
 * <pre>{@code
 * SnsAnnouncer alarms = SnsAnnouncer.toConversation(slack, Conversation.of("slack", "T1", "C-ops"));
 * // in a RequestHandler<SNSEvent, Void>:
 * alarms.handle(event);
 * }</pre>
 *
 * <p>A delivery or submission that fails throws {@link ChatOpsException}, so that Lambda retries the
 * asynchronous invocation. Immutable and thread-safe.
 */
public final class SnsAnnouncer {
  private static final ObjectMapper MAPPER = JsonLimits.mapper();

  /** What to do with one notification. */
  private interface Target {
    void announce(SNSEvent.SNS sns);
  }

  private final Target target;

  private SnsAnnouncer(Target target) {
    this.target = target;
  }

  /** Says each notification in {@code conversation} through {@code service}. */
  public static SnsAnnouncer toConversation(ServiceHandler service, Conversation conversation) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(conversation, "conversation");
    requireSameService(service, conversation);
    return new SnsAnnouncer(sns -> deliver(service, conversation, reply(sns)));
  }

  /**
   * Hands each notification to {@code plugin}'s hook (a POST to {@code /v1/hooks/<plugin>} whose body is the
   * SNS message, with {@code X-Amz-Sns-Topic-Arn}, {@code X-Amz-Sns-Subject} and
   * {@code X-Amz-Sns-Message-Id} headers) and delivers its announcements through the service each names.
   * The notification's authenticity is Lambda's: only the subscribed topic can invoke the function.
   */
  public static SnsAnnouncer throughPlugin(Plugin plugin, List<ServiceHandler> services) {
    Objects.requireNonNull(plugin, "plugin");
    Map<String, ServiceHandler> byName = new LinkedHashMap<>();
    for (ServiceHandler s : services) {
      byName.put(s.name(), s);
    }
    return new SnsAnnouncer(sns -> {
      WebhookRequest.Builder request = WebhookRequest.builder("POST", "/v1/hooks/" + plugin.name())
          .body(sns.getMessage() == null ? "" : sns.getMessage());
      if (sns.getTopicArn() != null) {
        request.header("X-Amz-Sns-Topic-Arn", sns.getTopicArn());
      }
      if (sns.getSubject() != null) {
        request.header("X-Amz-Sns-Subject", sns.getSubject());
      }
      if (sns.getMessageId() != null) {
        request.header("X-Amz-Sns-Message-Id", sns.getMessageId());
      }
      List<Announcement> announcements;
      try {
        announcements = plugin.hook(request.build());
      } catch (RuntimeException e) {
        throw new ChatOpsException("plugin " + plugin.name() + " failed on SNS message " + sns.getMessageId()
            + ": " + e.getMessage(), e);
      }
      for (Announcement a : announcements == null ? List.<Announcement>of() : announcements) {
        ServiceHandler service = byName.get(a.conversation().service());
        if (service == null) {
          throw new ChatOpsException("plugin " + plugin.name() + " announced through service "
              + a.conversation().service() + ", which is not among " + byName.keySet());
        }
        deliver(service, a.conversation(), a.reply());
      }
    });
  }

  /**
   * Submits each notification to the router as {@code command} said by user {@code user} in
   * {@code conversation}, whose service must be registered on the router. The notification (subject,
   * message, topic) is the event's raw payload, as JSON.
   */
  public static SnsAnnouncer throughRoute(
      Supplier<EventRouter> router, Conversation conversation, String user, String command) {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(command, "command");
    return new SnsAnnouncer(sns -> {
      String raw = MAPPER.createObjectNode()
          .put("topicArn", sns.getTopicArn())
          .put("subject", sns.getSubject())
          .put("message", sns.getMessage())
          .toString();
      ChatEvent event = ChatEvent.builder(conversation.service(), "sns-" + sns.getMessageId())
          .workspace(conversation.workspace())
          .channel(conversation.channel())
          .thread(conversation.thread().orElse(null))
          .user(user)
          .text(command)
          .time(sns.getTimestamp() == null ? Instant.now() : Instant.ofEpochMilli(sns.getTimestamp().getMillis()))
          .raw(raw)
          .build();
      WebhookResponse response = router.get().submit(event);
      if (response.status() != 200) {
        throw new ChatOpsException("the router refused SNS message " + sns.getMessageId() + ": "
            + response.status() + " " + response.bodyAsString());
      }
    });
  }

  /** Announces every notification of the event, in order. */
  public void handle(SNSEvent event) {
    if (event.getRecords() == null) {
      return;
    }
    for (SNSEvent.SNSRecord record : event.getRecords()) {
      target.announce(record.getSNS());
    }
  }

  /**
   * What a notification says: a CloudWatch alarm as {@code ALARM: name} with its reason and the change of
   * state; anything else as its subject (when it has one) and message.
   */
  static Reply reply(SNSEvent.SNS sns) {
    String message = sns.getMessage() == null ? "" : sns.getMessage();
    JsonNode alarm = alarm(message);
    if (alarm != null) {
      Reply.Builder b = Reply.builder(alarm.path("NewStateValue").asText() + ": " + alarm.path("AlarmName").asText());
      if (alarm.hasNonNull("NewStateReason")) {
        b.field("Reason", alarm.get("NewStateReason").asText());
      }
      if (alarm.hasNonNull("OldStateValue")) {
        b.field("Was", alarm.get("OldStateValue").asText());
      }
      if (alarm.hasNonNull("Region")) {
        b.field("Region", alarm.get("Region").asText());
      }
      return b.build();
    }
    String subject = sns.getSubject();
    return Reply.text(subject == null || subject.isBlank() ? message : subject + "\n" + message);
  }

  private static JsonNode alarm(String message) {
    if (!message.startsWith("{")) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(message);
      return node != null && node.hasNonNull("AlarmName") && node.hasNonNull("NewStateValue") ? node : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static void deliver(ServiceHandler service, Conversation conversation, Reply reply) {
    try {
      service.deliver(conversation, reply);
    } catch (RuntimeException e) {
      throw new ChatOpsException("could not announce in " + conversation.service() + " channel "
          + conversation.channel() + ": " + e.getMessage(), e);
    }
  }

  private static void requireSameService(ServiceHandler service, Conversation conversation) {
    if (!service.name().equals(conversation.service())) {
      throw new IllegalArgumentException("the conversation belongs to service " + conversation.service()
          + " but the service given is " + service.name());
    }
  }
}
