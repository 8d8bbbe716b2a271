package ai.chatops.examples.lambda;

import ai.chatops.aws.SnsAnnouncer;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;

/** Says each notification of the alarm topic in the alarm channel. */
public final class AlarmHandler implements RequestHandler<SNSEvent, Void> {
  private static volatile SnsAnnouncer announcer;

  @Override
  public Void handleRequest(SNSEvent event, Context context) {
    SnsAnnouncer a = announcer;
    if (a == null) {
      a = SnsAnnouncer.toConversation(Bot.slack(), Bot.alarmChannel());
      announcer = a;
    }
    a.handle(event);
    return null;
  }
}
