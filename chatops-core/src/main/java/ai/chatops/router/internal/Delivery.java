package ai.chatops.router.internal;

import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.service.ServiceHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers replies through the service of the conversation they belong to. A failed delivery is logged with the
 * event's reference: nothing more can be said to the user. Thread-safe.
 */
public final class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  private final Map<String, ServiceHandler> servicesByName;

  public Delivery(Map<String, ServiceHandler> servicesByName) {
    this.servicesByName = Map.copyOf(servicesByName);
  }

  /** Sends {@code reply} into {@code where}; never throws. */
  public void deliver(Conversation where, Reply reply, String ref) {
    ServiceHandler service = servicesByName.get(where.service());
    if (service == null) {
      log.error("event {}: no service named {} to deliver a reply to", ref, where.service());
      return;
    }
    try {
      service.deliver(where, reply);
    } catch (RuntimeException e) {
      log.error("event {}: delivering the reply through {} failed", ref, where.service(), e);
    }
  }
}
