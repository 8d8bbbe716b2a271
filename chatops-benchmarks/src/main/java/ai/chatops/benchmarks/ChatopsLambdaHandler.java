package ai.chatops.benchmarks;

import ai.chatops.EventRouter;
import ai.chatops.aws.ApiGatewayAdapter;
import ai.chatops.aws.LazyRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.service.ChatEvent;
import ai.chatops.slack.SlackService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Ours as an acknowledging Lambda function, shaped like {@code examples/aws-lambda}'s {@code ApiHandler}: the
 * router is built by the first event ({@link LazyRouter}), verifies the Slack signature, parses, records the
 * event in the (in-memory) store and hands it to the dispatcher, a queue in memory standing in for SQS, then
 * answers 200. Run by the real runtime interface client in {@link LambdaColdAck}.
 */
public final class ChatopsLambdaHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  /** What the acknowledging function would have sent to SQS. */
  static final Queue<ChatEvent> QUEUE = new ConcurrentLinkedQueue<>();
  private static final LazyRouter ROUTER = LazyRouter.of(() -> EventRouter.builder()
      .service(SlackService.builder()
          .signingSecret(SignedEvents.SIGNING_SECRET)
          .botToken(SignedEvents.BOT_TOKEN)
          .botUserId(SignedEvents.BOT_USER)
          .build())
      .plugin(BotPlugin.create())
      .dispatcher(QUEUE::add)
      .build());
  private static final ApiGatewayAdapter ADAPTER = ApiGatewayAdapter.create(ROUTER);

  @Override
  public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
    return ADAPTER.handle(event);
  }
}
