package ai.chatops.examples.lambda;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.aws.LazyRouter;
import ai.chatops.aws.SqsDispatcher;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.service.Conversation;
import ai.chatops.slack.SlackService;
import ai.chatops.store.dynamodb.DynamoDbStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The bot's wiring, shared by the three functions: every setting comes from the function's environment
 * (the SAM template sets them), every service and plugin is registered explicitly.
 *
 * <ul>
 *   <li>{@code SLACK_SIGNING_SECRET}, {@code SLACK_BOT_TOKEN}: the Slack app;
 *   <li>{@code JENKINS_URL}, {@code JENKINS_USER}, {@code JENKINS_API_TOKEN}: the Jenkins plugin;
 *   <li>{@code TABLE_NAME}: the DynamoDB table of the store; {@code QUEUE_URL}: the SQS queue;
 *   <li>{@code ALARM_CHANNEL}: the Slack channel where SNS alarms are said; {@code SLACK_TEAM}: its team id.
 * </ul>
 */
final class Bot {
  /** The acknowledging function's router: verifies, deduplicates and queues. */
  static final LazyRouter ACK = LazyRouter.of(() -> router(true));
  /** The worker function's router: processes queued events on the calling thread. */
  static final LazyRouter WORKER = LazyRouter.of(() -> router(false));

  /**
   * Every environment variable the functions read: {@link #env} refuses any other name, so this list cannot
   * fall behind the code, and {@code SamTemplateTest} checks that template.yaml sets each.
   */
  static final Set<String> ENVIRONMENT = Set.of("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", JenkinsPlugin.JENKINS_URL,
      JenkinsPlugin.JENKINS_USER, JenkinsPlugin.JENKINS_API_TOKEN, "TABLE_NAME", "QUEUE_URL", "ALARM_CHANNEL",
      "SLACK_TEAM", "CHATOPS_PRIME");

  private Bot() {}

  static EventRouter router(boolean acknowledging) {
    EventRouter.Builder b = EventRouter.builder()
        .service(slack())
        .plugin(JenkinsPlugin.builder().build(), Map.of(
            JenkinsPlugin.JENKINS_URL, env(JenkinsPlugin.JENKINS_URL),
            JenkinsPlugin.JENKINS_USER, env(JenkinsPlugin.JENKINS_USER),
            JenkinsPlugin.JENKINS_API_TOKEN, env(JenkinsPlugin.JENKINS_API_TOKEN)))
        .store(DynamoDbStore.builder()
            .client(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build())
            .table(env("TABLE_NAME"))
            .build())
        // A Lambda function does nothing between invocations: no point sweeping often. SQS redelivers what
        // a worker did not finish.
        .sweepInterval(Duration.ofMinutes(10))
        .workerThreads(2);
    if (acknowledging) {
      b.dispatcher(SqsDispatcher.create(
          SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), env("QUEUE_URL")));
    }
    return b.build();
  }

  static SlackService slack() {
    return SlackService.builder()
        .signingSecret(env("SLACK_SIGNING_SECRET"))
        .botToken(env("SLACK_BOT_TOKEN"))
        .build();
  }

  static Conversation alarmChannel() {
    return Conversation.of("slack", env("SLACK_TEAM"), env("ALARM_CHANNEL"));
  }

  /** Whether {@code CHATOPS_PRIME} asks the handlers to prime the router while their class loads (SnapStart). */
  static boolean primeRequested() {
    return "true".equals(System.getenv("CHATOPS_PRIME"));
  }

  static String env(String name) {
    if (!ENVIRONMENT.contains(name)) {
      throw new IllegalStateException(name + " is not in Bot.ENVIRONMENT: add it there and to template.yaml");
    }
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new ConfigurationException("the environment variable " + name + " is not set; see template.yaml");
    }
    return value;
  }
}
