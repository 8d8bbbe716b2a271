package ai.chatops.spring;

import ai.chatops.ConfigurationException;
import ai.chatops.EventRouter;
import ai.chatops.RouterObserver;
import ai.chatops.access.AccessPolicy;
import ai.chatops.dialog.DialogParser;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.nlu.NluEngine;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.plugin.Interceptor;
import ai.chatops.plugin.Plugin;
import ai.chatops.secrets.KeyProvider;
import ai.chatops.service.ServiceHandler;
import ai.chatops.servlet.ChatOpsServlet;
import ai.chatops.slack.SlackService;
import ai.chatops.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Builds one {@link EventRouter} from the {@code chatops.*} properties and the beans of the context, serves it
 * on the application's own port, and closes it with the application. Every {@link ServiceHandler},
 * {@link Plugin}, {@link DialogParser}, {@link Interceptor} and {@link RouterObserver} bean is registered; a
 * {@link Store}, {@link NluEngine} or {@link AccessPolicy} bean replaces the default; an {@link EventRouter}
 * bean of the application's own replaces all of this but the serving, health, info and metrics.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnProperty(prefix = "chatops", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ChatOpsProperties.class)
@Import(ChatOpsStores.class)
public class ChatOpsAutoConfiguration {

  /** The Slack service, when its bot token is set. */
  @Bean
  @ConditionalOnMissingBean(SlackService.class)
  @ConditionalOnProperty(prefix = "chatops.slack", name = "bot-token")
  public SlackService chatopsSlackService(ChatOpsProperties properties) {
    ChatOpsProperties.Slack slack = properties.getSlack();
    SlackService.Builder builder = SlackService.builder().botToken(slack.getBotToken());
    if (slack.getSigningSecret() == null || slack.getSigningSecret().isBlank()) {
      throw new ConfigurationException("chatops.slack.signing-secret (CHATOPS_SLACK_SIGNING_SECRET) is required"
          + " with chatops.slack.bot-token: it verifies that requests come from Slack");
    }
    builder.signingSecret(slack.getSigningSecret());
    if (slack.getApiUrl() != null && !slack.getApiUrl().isBlank()) {
      builder.apiUrl(slack.getApiUrl());
    }
    return builder.build();
  }

  /** The built-in bot plugin ({@code bot ping}, {@code bot status}...). */
  @Bean
  @ConditionalOnMissingBean(BotPlugin.class)
  public BotPlugin chatopsBotPlugin() {
    return BotPlugin.create();
  }

  /** The Jenkins plugin, when its URL is set. */
  @Bean
  @ConditionalOnMissingBean(JenkinsPlugin.class)
  @ConditionalOnProperty(prefix = "chatops.jenkins", name = "url")
  public JenkinsPlugin chatopsJenkinsPlugin() {
    return JenkinsPlugin.create();
  }

  /** The router, from every chat service, plugin and step of the context. */
  @Bean(destroyMethod = "") // closed by ChatOpsLifecycle, in order with the web server
  @ConditionalOnMissingBean(EventRouter.class)
  public EventRouter chatopsEventRouter(ChatOpsProperties properties, ObjectProvider<ServiceHandler> services,
      ObjectProvider<Plugin> plugins, ObjectProvider<Store> store, ObjectProvider<NluEngine> nlu,
      ObjectProvider<AccessPolicy> access, ObjectProvider<DialogParser> parsers,
      ObjectProvider<Interceptor> interceptors, ObjectProvider<RouterObserver> observers) {
    ChatOpsProperties.Router limits = properties.getRouter();
    EventRouter.Builder builder = EventRouter.builder()
        .workerThreads(limits.getWorkerThreads())
        .queueCapacity(limits.getQueueCapacity())
        .pluginTimeout(limits.getPluginTimeout())
        .drainTimeout(limits.getDrainTimeout())
        .maxBodyBytes(limits.getMaxBodyBytes())
        .nluThreshold(properties.getNlu().getThreshold());
    services.orderedStream().forEach(builder::service);
    plugins.orderedStream().forEach(p -> builder.plugin(p, credentials(p, properties)));
    Store chosen = store.getIfUnique();
    ChatOpsStores.checkKind(properties.getStore(), chosen != null);
    if (chosen != null) {
      builder.store(chosen);
    }
    admin(properties, builder);
    NluEngine engine = nlu.getIfUnique();
    if (engine != null) {
      builder.nlu(engine);
    } else {
      String kind = properties.getNlu().getKind().toLowerCase(Locale.ROOT);
      if (kind.equals("none")) {
        builder.nlu(NluEngine.none());
      } else if (!kind.equals("local")) {
        throw new ConfigurationException("chatops.nlu.kind must be local or none (or declare an NluEngine bean)"
            + " but was '" + properties.getNlu().getKind() + "'");
      }
    }
    AccessPolicy policy = access.getIfUnique();
    builder.access(policy != null ? policy : policy(properties.getAccess()));
    parsers.orderedStream().forEach(builder::dialogParser);
    interceptors.orderedStream().forEach(builder::interceptor);
    observers.orderedStream().forEach(builder::observer);
    return builder.build();
  }

  /** The configuration endpoint's keys ({@code /v1/yaml}) and the keys that encrypt what it stores. */
  private static void admin(ChatOpsProperties properties, EventRouter.Builder builder) {
    if (present(properties.getAdminToken())) {
      if (properties.getAdminToken().length() < 16) {
        throw new ConfigurationException("chatops.admin-token (CHATOPS_ADMIN_TOKEN) must have at least 16"
            + " characters (e.g. openssl rand -hex 32); it has " + properties.getAdminToken().length());
      }
      builder.adminToken(properties.getAdminToken());
    }
    if (present(properties.getAdminSecret())) {
      if (properties.getAdminSecret().length() < 16) {
        throw new ConfigurationException("chatops.admin-secret (CHATOPS_ADMIN_SECRET) must have at least 16"
            + " characters (e.g. openssl rand -hex 32); it has " + properties.getAdminSecret().length());
      }
      builder.adminSecret(properties.getAdminSecret());
    }
    boolean keys = present(properties.getKeys());
    boolean keysFile = present(properties.getKeysFile());
    if (keys && keysFile) {
      throw new ConfigurationException("set chatops.keys (CHATOPS_KEYS) or chatops.keys-file (CHATOPS_KEYS_FILE),"
          + " not both");
    }
    try {
      if (keys) {
        builder.keyProvider(KeyProvider.parse(properties.getKeys()));
      } else if (keysFile) {
        builder.keyProvider(KeyProvider.fromFile(Path.of(properties.getKeysFile().trim())));
      }
    } catch (ConfigurationException e) {
      throw new ConfigurationException((keys ? "chatops.keys: " : "chatops.keys-file: ") + e.getMessage(), e);
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  /** The Jenkins credentials from the properties, those that are set; other plugins use their config's. */
  private static Map<String, String> credentials(Plugin plugin, ChatOpsProperties properties) {
    if (!(plugin instanceof JenkinsPlugin)) {
      return Map.of();
    }
    ChatOpsProperties.Jenkins jenkins = properties.getJenkins();
    Map<String, String> credentials = new LinkedHashMap<>();
    put(credentials, JenkinsPlugin.JENKINS_URL, jenkins.getUrl());
    put(credentials, JenkinsPlugin.JENKINS_USER, jenkins.getUser());
    put(credentials, JenkinsPlugin.JENKINS_API_TOKEN, jenkins.getApiToken());
    return credentials;
  }

  private static void put(Map<String, String> map, String key, String value) {
    if (value != null && !value.isBlank()) {
      map.put(key, value.trim());
    }
  }

  private static AccessPolicy policy(ChatOpsProperties.Access access) {
    AccessPolicy.Builder policy = AccessPolicy.builder().defaultAccess(access.isDefaultAllow());
    access.getGroups().forEach((name, users) -> policy.group(name, users.toArray(String[]::new)));
    if (!access.getAdmins().isEmpty()) {
      policy.admins(access.getAdmins().toArray(String[]::new));
    }
    return policy.build();
  }

  /** Closes the router after the web server stopped taking requests: in-flight events finish. */
  @Bean
  public ChatOpsLifecycle chatopsLifecycle(EventRouter router) {
    return new ChatOpsLifecycle(router);
  }

  /** Serves the router's paths on the application's port, beside the application's own servlets. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({ServletRegistrationBean.class, jakarta.servlet.Servlet.class})
  static class Serving {
    @Bean
    @ConditionalOnMissingBean(name = "chatopsServlet")
    ServletRegistrationBean<ChatOpsServlet> chatopsServlet(EventRouter router,
        ObjectProvider<ServiceHandler> services) {
      List<String> paths = new ArrayList<>();
      services.orderedStream().forEach(s -> paths.add(s.path()));
      paths.addAll(List.of("/v1/hooks/*", "/v1/yaml", "/v1/yaml/*"));
      ServletRegistrationBean<ChatOpsServlet> registration =
          new ServletRegistrationBean<>(ChatOpsServlet.create(router), paths.toArray(String[]::new));
      registration.setName("chatopsServlet");
      registration.setLoadOnStartup(1);
      return registration;
    }
  }

  /** The {@code chatops} health contributor and info. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, InfoContributor.class})
  static class Actuator {
    @Bean
    @ConditionalOnMissingBean(name = "chatopsHealthIndicator")
    HealthIndicator chatopsHealthIndicator(EventRouter router) {
      return new ChatOpsHealthIndicator(router);
    }

    @Bean
    @ConditionalOnMissingBean(name = "chatopsInfoContributor")
    InfoContributor chatopsInfoContributor(EventRouter router) {
      return new ChatOpsInfoContributor(router);
    }

    /**
     * Masks every {@code chatops.*} secret in {@code /actuator/env} and {@code /actuator/configprops}, even when
     * the application shows values.
     */
    @Bean
    SanitizingFunction chatopsSanitizingFunction() {
      return data -> isSecret(data.getKey()) ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }

    /** Our secret keys, as /env names them ({@code chatops.slack.bot-token}) and as /configprops does. */
    static boolean isSecret(String key) {
      String k = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
      boolean ours = k.startsWith("chatops.") || SECRET_FIELDS.contains(k);
      return ours && (k.contains("secret") || k.contains("token") || k.contains("password")
          || k.contains("credential") || isSecretKey(k));
    }

    static boolean isSecretKey(String k) {
      // chatops.keys and its configprops field: the keys themselves; chatops.keys-file is only a path.
      return k.equals("chatops.keys") || k.equals("keys");
    }

    private static final java.util.Set<String> SECRET_FIELDS =
        java.util.Set.of("signingsecret", "bottoken", "apitoken", "admintoken", "adminsecret", "keys");
  }

  /**
   * Micrometer metrics: {@code chatops.events}, {@code chatops.invocations}, the gauges, {@code chatops.nlu}.
   * The registry is looked up when the router is built, whichever auto-configuration declared it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean(MicrometerObserver.class)
    RouterObserver chatopsMicrometerObserver(ObjectProvider<MeterRegistry> registry) {
      MeterRegistry meters = registry.getIfUnique();
      return meters == null ? RouterObserver.none() : new MicrometerObserver(meters);
    }

    @Bean
    SmartInitializingSingleton chatopsGauges(EventRouter router, ObjectProvider<MeterRegistry> registry) {
      return () -> registry.ifUnique(meters -> MicrometerObserver.bindGauges(router, meters));
    }
  }

  /** OpenTelemetry traces, when the application provides an {@link OpenTelemetry} bean (its SDK). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(OpenTelemetry.class)
  static class Tracing {
    @Bean
    @ConditionalOnMissingBean(OpenTelemetryTracing.class)
    RouterObserver chatopsTracing(ObjectProvider<OpenTelemetry> openTelemetry) {
      OpenTelemetry otel = openTelemetry.getIfUnique();
      return otel == null ? RouterObserver.none() : new OpenTelemetryTracing(otel);
    }

    /** The plugin call's span, from the same tracing observer, which nests the plugin's HTTP calls in it. */
    @Bean
    Interceptor chatopsTracingInterceptor(ObjectProvider<RouterObserver> observers) {
      return observers.orderedStream().filter(OpenTelemetryTracing.class::isInstance)
          .map(o -> ((OpenTelemetryTracing) o).interceptor()).findFirst()
          .orElse(chain -> chain.proceed(chain.invocation()));
    }
  }
}
