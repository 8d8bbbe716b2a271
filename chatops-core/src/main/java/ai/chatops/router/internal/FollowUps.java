package ai.chatops.router.internal;

import ai.chatops.internal.Durations;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.internal.RealInvocationChain;
import ai.chatops.service.Conversation;
import ai.chatops.service.Reply;
import ai.chatops.toolkit.LogSafe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a plugin's actions and follows what they ask to follow (a running build): each watch is journalled
 * in the store and polled on the scheduler's timer, on the router's workers, under the plugin timeout, until
 * the plugin reports the end or the watch's deadline passes. Thread-safe.
 */
public final class FollowUps {
  private static final Logger log = LoggerFactory.getLogger(FollowUps.class);

  private final FollowUpJournal journal;
  private final Delivery delivery;
  private final Executor workers;
  private final ScheduledExecutorService scheduler;
  private final Duration pluginTimeout;
  private final Clock clock;
  /** The keys of the watches this router has a poll scheduled or running for. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  /**
   * @param workers runs polls, counted as in-flight work; throws {@link RejectedExecutionException} when full
   */
  public FollowUps(FollowUpJournal journal, Delivery delivery, Executor workers, ScheduledExecutorService scheduler,
      Duration pluginTimeout, Clock clock) {
    this.journal = journal;
    this.delivery = delivery;
    this.workers = workers;
    this.scheduler = scheduler;
    this.pluginTimeout = pluginTimeout;
    this.clock = clock;
  }

  /**
   * Delivers an action and follows what it asks to follow. The replies of a request and of its follow-ups
   * share one key, so services that can edit messages show them as one message that changes. A silent
   * action keeps the current deadline; an action that starts watching something new gets a new one.
   *
   * @param current the watch whose poll returned the action, or null for the action of a request
   */
  public void handle(PluginSlot slot, Action action, FollowUpJournal.Watch current, Conversation where,
      String eventId, String ref) {
    if (!action.silent()) {
      Reply reply = action.toReply();
      if (current != null || action.followUp().isPresent()) {
        reply = reply.withKey("event:" + eventId);
      }
      delivery.deliver(where, reply, ref);
    }
    if (action.followUp().isEmpty()) {
      if (current != null) {
        forget(current, ref);
      }
      return;
    }
    FollowUp next = action.followUp().get();
    Instant deadline = current != null && action.silent()
        ? current.deadline()
        : clock.instant().plus(next.timeout());
    follow(slot, new FollowUpJournal.Watch(slot.name(), next, where, eventId, deadline), ref);
  }

  /** Polls a watch that a stopped router left behind. */
  public void resume(PluginSlot slot, FollowUpJournal.Watch watch) {
    String ref = LogSafe.ref(watch.where().service(), watch.eventId());
    log.info("event {}: resuming follow-up {} left by a stopped router", ref, watch.followUp().key());
    schedulePoll(slot, watch, ref);
  }

  /** Records the watch in the store and schedules its next poll. */
  private void follow(PluginSlot slot, FollowUpJournal.Watch watch, String ref) {
    try {
      if (!journal.save(watch, clock.instant().plus(watch.followUp().interval()))) {
        log.info("event {}: follow-up {} was taken over by another router", ref, watch.followUp().key());
        held.remove(FollowUpJournal.key(watch));
        return;
      }
    } catch (RuntimeException e) {
      log.warn("event {}: could not record follow-up {}; following it in memory only: {}", ref,
          watch.followUp().key(), e.toString());
    }
    schedulePoll(slot, watch, ref);
  }

  /** Whether this router has a poll of the watch stored under {@code key} scheduled or running. */
  public boolean holds(String key) {
    return held.contains(key);
  }

  private void forget(FollowUpJournal.Watch watch, String ref) {
    held.remove(FollowUpJournal.key(watch));
    try {
      journal.remove(watch);
    } catch (RuntimeException e) {
      log.warn("event {}: could not remove follow-up {}: {}", ref, watch.followUp().key(), e.toString());
    }
  }

  private void schedulePoll(PluginSlot slot, FollowUpJournal.Watch watch, String ref) {
    held.add(FollowUpJournal.key(watch));
    try {
      scheduler.schedule(() -> {
        try {
          workers.execute(() -> poll(slot, watch, ref));
        } catch (RejectedExecutionException e) {
          release(watch, ref, "no worker can take its poll now");
        }
      }, watch.followUp().interval().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      release(watch, ref, "this router is shutting down");
    }
  }

  /**
   * Leaves a watch whose poll could not be scheduled in the store, free for the next sweep of any router,
   * this one's included: a follow-up is never left behind because the workers were saturated.
   */
  private void release(FollowUpJournal.Watch watch, String ref, String why) {
    held.remove(FollowUpJournal.key(watch));
    try {
      journal.release(watch);
      log.warn("event {}: follow-up {} left in the store for the next sweep: {}", ref, watch.followUp().key(),
          why);
    } catch (RuntimeException e) {
      log.warn("event {}: follow-up {} could not be released ({}); a sweep takes it over when its lease runs out:"
          + " {}", ref, watch.followUp().key(), e.toString(), why);
    }
  }

  private void poll(PluginSlot slot, FollowUpJournal.Watch watch, String ref) {
    try {
      if (!journal.stillMine(watch)) {
        log.info("event {}: follow-up {} is now polled by another router", ref, watch.followUp().key());
        held.remove(FollowUpJournal.key(watch));
        return;
      }
    } catch (RuntimeException e) {
      log.warn("event {}: could not check follow-up {}; polling anyway: {}", ref, watch.followUp().key(),
          e.toString());
    }
    Optional<Optional<Action>> polled = call(slot, watch, ref);
    if (polled.isEmpty()) {
      forget(watch, ref); // the failure was reported to the user
      return;
    }
    FollowUp followUp = watch.followUp();
    if (polled.get().isPresent()) {
      handle(slot, polled.get().get(), watch, watch.where(), watch.eventId(), ref);
    } else if (clock.instant().isBefore(watch.deadline())) {
      follow(slot, watch, ref);
    } else {
      forget(watch, ref);
      delivery.deliver(watch.where(), Reply.text("I stopped following " + followUp.description() + " after "
          + Durations.describe(followUp.timeout()) + "; it had not finished."), ref);
    }
  }

  /** Polls the plugin under the plugin timeout; a failure is told to the user and the result is empty. */
  private Optional<Optional<Action>> call(PluginSlot slot, FollowUpJournal.Watch watch, String ref) {
    FollowUp followUp = watch.followUp();
    String what = "following " + followUp.description();
    TimedCall.Result<Optional<Action>> result = TimedCall.run(() -> slot.plugin().poll(followUp), pluginTimeout,
        scheduler, () -> {
          log.error("event {}: {} did not finish within {} ms", ref, what, pluginTimeout.toMillis());
          delivery.deliver(watch.where(), Reply.text("Sorry, " + what + " did not finish within "
              + Durations.describe(pluginTimeout) + " (event " + watch.eventId() + ")."), ref);
        });
    if (result.timedOut()) {
      log.warn("event {}: {} returned after its deadline; the result was dropped", ref, what);
      return Optional.empty();
    }
    Throwable error = result.error() != null ? result.error()
        : result.value() == null ? new RealInvocationChain.NothingReturnedException()
        : null;
    if (error != null) {
      delivery.deliver(watch.where(), Reply.text(PluginFailures.reply(error, what, watch.eventId(), ref)), ref);
      return Optional.empty();
    }
    return Optional.of(result.value());
  }
}
