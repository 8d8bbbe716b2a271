package ai.chatops.router.internal;

import ai.chatops.access.AccessPolicy;
import ai.chatops.dialog.DialogParser;
import ai.chatops.nlu.NluEngine;
import ai.chatops.plugin.Interceptor;
import ai.chatops.secrets.KeyProvider;
import ai.chatops.service.ChatEvent;
import ai.chatops.service.ServiceHandler;
import ai.chatops.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Everything the router's builder collected besides the plugins, validated, for {@link Engine}. Nullable
 * components are the settings a host may leave out: {@code store}, {@code nlu}, {@code executor},
 * {@code lease}, {@code dispatcher}, {@code adminToken}, {@code adminSecret}, {@code keyProvider}.
 */
public record RouterSettings(
    List<ServiceHandler> services,
    List<DialogParser> dialogParsers,
    List<Interceptor> interceptors,
    Store store,
    NluEngine nlu,
    double nluThreshold,
    ExecutorService executor,
    int workerThreads,
    int queueCapacity,
    Clock clock,
    Duration pluginTimeout,
    Duration dedupeWindow,
    Duration drainTimeout,
    Duration conversationTimeout,
    Duration lease,
    Duration sweepInterval,
    int maxAttempts,
    Map<String, byte[]> hookSecrets,
    Consumer<ChatEvent> dispatcher,
    byte[] adminToken,
    byte[] adminSecret,
    KeyProvider keyProvider,
    AccessPolicy access,
    int maxRateBuckets,
    Duration auditRetention,
    List<ai.chatops.RouterObserver> observers,
    int maxPendingCalls) {

  /** Copies the collections. */
  public RouterSettings {
    services = List.copyOf(services);
    dialogParsers = List.copyOf(dialogParsers);
    interceptors = List.copyOf(interceptors);
    hookSecrets = Map.copyOf(hookSecrets);
    observers = List.copyOf(observers);
  }
}
