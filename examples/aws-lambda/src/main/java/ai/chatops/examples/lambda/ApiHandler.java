package ai.chatops.examples.lambda;

import ai.chatops.aws.ApiGatewayAdapter;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** The acknowledging function behind the HTTP API: verifies, deduplicates and queues Slack's events. */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private static final ApiGatewayAdapter ADAPTER = ApiGatewayAdapter.create(Bot.ACK);

  static {
    // SnapStart takes its snapshot after static initialisation: load the request path's classes now.
    if (Bot.primeRequested()) {
      Bot.ACK.prime();
    }
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return ADAPTER.handle(event);
  }
}
