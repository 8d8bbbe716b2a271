package ai.chatops.audit.internal;

import ai.chatops.audit.AuditEntry;
import ai.chatops.audit.AuditLog;
import ai.chatops.plugin.Credentials;
import ai.chatops.plugin.Invocation;
import ai.chatops.service.ChatEvent;
import ai.chatops.toolkit.LogSafe;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the router's audit entries: one per plugin call (refusals included) and one per use of the
 * {@code audit} command. Attribute values that equal one of the plugin's credentials, and attributes named
 * like a secret (TOKEN, SECRET, PASSWORD, KEY), are masked; long values are cut and control characters
 * escaped. A failed write is logged and
 * never reaches the user. Thread-safe.
 */
public final class Auditor {
  private static final Logger log = LoggerFactory.getLogger(Auditor.class);
  private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|SECRET|PASSWORD|KEY).*");
  private static final int MAX_VALUE = 256;

  private final AuditLog auditLog;
  private final Duration retention;
  private final Clock clock;
  private final Function<String, Optional<Credentials>> credentialsOfRoute;

  /**
   * @param credentialsOfRoute the credentials of the plugin serving a route path, for masking
   */
  private final java.util.function.Consumer<AuditEntry> completed;

  public Auditor(AuditLog auditLog, Duration retention, Clock clock,
      Function<String, Optional<Credentials>> credentialsOfRoute) {
    this(auditLog, retention, clock, credentialsOfRoute, entry -> {});
  }

  /** An auditor that also hands every entry to {@code completed} (the router's observers); it must not throw. */
  public Auditor(AuditLog auditLog, Duration retention, Clock clock,
      Function<String, Optional<Credentials>> credentialsOfRoute, java.util.function.Consumer<AuditEntry> completed) {
    this.completed = completed;
    this.auditLog = auditLog;
    this.retention = retention;
    this.clock = clock;
    this.credentialsOfRoute = credentialsOfRoute;
  }

  /** The log this auditor appends to. */
  public AuditLog log() {
    return auditLog;
  }

  /** Appends one entry for a call a chat message proposed: one store write, no read. Never throws. */
  public void record(ChatEvent event, String route, Map<String, String> attributes, AuditEntry.Outcome outcome,
      long durationMillis, String detail) {
    record(event, route, attributes, outcome, durationMillis, detail, Invocation.VIA_CHAT);
  }

  /** Appends one entry for a call that {@code via} proposed: one store write, no read. Never throws. */
  public void record(ChatEvent event, String route, Map<String, String> attributes, AuditEntry.Outcome outcome,
      long durationMillis, String detail, String via) {
    try {
      Credentials secrets = credentialsOfRoute.apply(route).orElse(null);
      Map<String, String> masked = new LinkedHashMap<>();
      for (Map.Entry<String, String> attribute : attributes.entrySet()) {
        masked.put(attribute.getKey(), mask(attribute.getKey(), attribute.getValue(), secrets));
      }
      AuditEntry entry = new AuditEntry(clock.instant(), event.service(), event.id(), event.workspace(),
          event.user(), event.channel(), event.thread(), route, masked, outcome, durationMillis,
          cut(detail == null ? "" : detail), via);
      completed.accept(entry);
      auditLog.append(entry, retention);
    } catch (RuntimeException e) {
      log.error("event {}: could not append the audit entry of {} ({})", LogSafe.ref(event.service(), event.id()),
          LogSafe.clean(route), outcome.wireName(), e);
    }
  }

  /** The clock entries are stamped with, for durations measured alongside. */
  public Clock clock() {
    return clock;
  }

  private static String mask(String name, String value, Credentials secrets) {
    if (value == null) {
      return "";
    }
    if (SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches()) {
      return AuditEntry.MASK;
    }
    if (secrets != null) {
      for (String key : secrets.keys()) {
        Optional<String> secret = secrets.get(key);
        if (secret.isPresent() && !secret.get().isEmpty() && (value.equals(secret.get())
            || (secret.get().length() >= 8 && value.contains(secret.get())))) {
          return AuditEntry.MASK;
        }
      }
    }
    return cut(value);
  }

  /** Values are cut like log text: an entry's listing in chat cannot be forged with a newline either. */
  private static String cut(String value) {
    return LogSafe.clean(value, MAX_VALUE);
  }
}
