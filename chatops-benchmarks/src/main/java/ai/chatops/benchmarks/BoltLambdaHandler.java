package ai.chatops.benchmarks;

import com.slack.api.bolt.aws_lambda.SlackApiLambdaHandler;
import com.slack.api.bolt.aws_lambda.request.ApiGatewayRequest;

/**
 * Bolt's own Lambda handler ({@code bolt-aws-lambda}'s {@link SlackApiLambdaHandler}) around the same
 * {@link BoltBot} app as the other comparisons: request verification on, {@code auth.test} answered by the
 * loopback stand-in whose URL is in {@code BOLT_API_URL}, an {@code app_mention} listener that only
 * acknowledges. Run by the real runtime interface client in {@link LambdaColdAck}.
 */
public final class BoltLambdaHandler extends SlackApiLambdaHandler {
  public BoltLambdaHandler() {
    super(new BoltBot(System.getenv("BOLT_API_URL")).app);
  }

  @Override
  protected boolean isWarmupRequest(ApiGatewayRequest request) {
    return false;
  }
}
