package ai.chatops.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

/**
 * The floor of a Lambda cold acknowledgement: a handler that does nothing but answer API Gateway with a fixed
 * 200, run by the real runtime interface client like {@link ChatopsLambdaHandler} and {@link BoltLambdaHandler}
 * in {@link LambdaColdAck}, with the same event types as ours (the client deserialises the same event). No
 * Slack check, no router: what it measures is the JVM's and the runtime client's share of a cold
 * acknowledgement, which neither bot can remove; the rest of theirs is their own.
 */
public final class LambdaFloorHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  @Override
  public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
    return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("");
  }
}
