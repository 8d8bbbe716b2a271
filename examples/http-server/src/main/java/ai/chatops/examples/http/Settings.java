package ai.chatops.examples.http;

import ai.chatops.ConfigurationException;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.secrets.KeyProvider;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The host's settings, read from environment variables; every problem names its variable.
 *
 * @param port PORT, 3000 by default (0 picks a free port)
 * @param bindAddress BIND_ADDRESS, 127.0.0.1 by default
 * @param signingSecret SLACK_SIGNING_SECRET, required unless Socket Mode is on
 * @param botToken SLACK_BOT_TOKEN, required, {@code xoxb-...}
 * @param apiUrl SLACK_API_URL, https://slack.com/api/ by default
 * @param appToken SLACK_APP_TOKEN, {@code xapp-...}: Socket Mode instead of HTTP when set, else empty
 * @param jenkins JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN, those that are set (the Jenkins plugin names
 *     the missing ones when it is used)
 * @param store CHATOPS_STORE and the variables of the chosen store
 * @param nlu CHATOPS_NLU and the variables of the chosen engine
 * @param lease CHATOPS_LEASE, the router's lease on an event it processes; the router's default when empty
 * @param sweepInterval CHATOPS_SWEEP_INTERVAL, how often the router looks for unfinished events; the router's
 *     default when empty
 * @param admin CHATOPS_ADMIN_TOKEN, CHATOPS_ADMIN_SECRET and CHATOPS_KEYS or CHATOPS_KEYS_FILE: the
 *     configuration endpoint {@code /v1/yaml} and the keys of the credentials it stores
 * @param access who may do what, how often, and the audit log: CHATOPS_ADMINS, CHATOPS_GROUP_*,
 *     CHATOPS_DEFAULT_ACCESS, CHATOPS_USER_RATE_LIMIT, CHATOPS_ROUTE_RATE_LIMIT, CHATOPS_AUDIT_RETENTION
 * @param teams Microsoft Teams at /api/messages, when TEAMS_APP_ID and TEAMS_APP_PASSWORD are set; Slack is then
 *     optional (it is served when any of SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_APP_TOKEN is set), and
 *     {@link #botToken()} is empty when it is not
 * @param messenger Facebook Messenger at /messenger/webhook, when MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN and
 *     MESSENGER_PAGE_TOKEN are set; Slack is then optional as with Teams
 * @param x X direct messages at /x/webhook, when X_CONSUMER_SECRET, X_BOT_TOKEN and X_BOT_USER_ID are set; Slack
 *     is then optional as with Teams
 */
record Settings(int port, InetAddress bindAddress, String signingSecret, String botToken, String apiUrl,
    String appToken, Map<String, String> jenkins, StoreSettings store, NluSettings nlu, Optional<Duration> lease,
    Optional<Duration> sweepInterval, Admin admin, AccessSettings access, Optional<Teams> teams,
    Optional<Messenger> messenger, Optional<X> x) {
  static final List<String> JENKINS_KEYS =
      List.of(JenkinsPlugin.JENKINS_URL, JenkinsPlugin.JENKINS_USER, JenkinsPlugin.JENKINS_API_TOKEN);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");
  private static final Pattern GCP_PROJECT = Pattern.compile("([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern NAMESPACE = Pattern.compile("[0-9A-Za-z._-]{0,100}");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");

  /**
   * The configuration endpoint and the keys that encrypt the credentials it stores.
   *
   * @param token CHATOPS_ADMIN_TOKEN: {@code Authorization: Bearer <token>} may call /v1/yaml
   * @param secret CHATOPS_ADMIN_SECRET: requests signed with it (HMAC-SHA256) may call /v1/yaml
   * @param keys CHATOPS_KEYS ({@code id:base64} entries, the first current) or CHATOPS_KEYS_FILE (a file of
   *     them); without keys, /v1/yaml refuses documents giving credential values
   */
  record Admin(Optional<String> token, Optional<String> secret, Optional<KeyProvider> keys) {
    /** Says which are set, never their values. */
    @Override
    public String toString() {
      return "Admin{token=" + (token.isPresent() ? "***" : "<unset>") + ", secret="
          + (secret.isPresent() ? "***" : "<unset>") + ", keys=" + keys.map(Object::toString).orElse("<unset>")
          + "}";
    }
  }

  /** Where the router keeps its records: CHATOPS_STORE and the variables of that store. */
  sealed interface StoreSettings permits Memory, DynamoDb, Datastore {}

  /** {@code CHATOPS_STORE=memory}: the router's in-memory store, for one process. */
  record Memory() implements StoreSettings {}

  /**
   * {@code CHATOPS_STORE=dynamodb}.
   *
   * @param table DYNAMODB_TABLE
   * @param region AWS_REGION; us-east-1 by default when an endpoint is set
   * @param endpoint DYNAMODB_ENDPOINT, empty for AWS's own endpoint of the region
   * @param createTable DYNAMODB_CREATE_TABLE; true by default with an endpoint (development), false otherwise
   * @param dummyCredentials whether to sign with fixed dummy credentials: an endpoint is set and AWS_ACCESS_KEY_ID
   *     is not (dynalite and other local DynamoDB implementations accept any)
   */
  record DynamoDb(String table, String region, Optional<URI> endpoint, boolean createTable, boolean dummyCredentials)
      implements StoreSettings {}

  /**
   * {@code CHATOPS_STORE=datastore}.
   *
   * @param projectId DATASTORE_PROJECT_ID
   * @param namespace DATASTORE_NAMESPACE, empty for the default namespace
   * @param emulatorHost DATASTORE_EMULATOR_HOST ({@code host:port}), empty for Google Cloud
   */
  record Datastore(String projectId, String namespace, Optional<String> emulatorHost) implements StoreSettings {}

  /** What understands free text: CHATOPS_NLU and the variables of that engine. */
  sealed interface NluSettings permits LocalNluSettings, DialogFlow {}

  /** {@code CHATOPS_NLU=local}: the embedded engine trained on the plugins. */
  record LocalNluSettings() implements NluSettings {}

  /**
   * {@code CHATOPS_NLU=dialogflow}, with the local engine as the fallback.
   *
   * @param projectId DIALOGFLOW_PROJECT_ID
   * @param language DIALOGFLOW_LANGUAGE, en by default
   * @param credentialsFile GOOGLE_APPLICATION_CREDENTIALS; empty for Google's other default credentials
   */
  record DialogFlow(String projectId, String language, Optional<Path> credentialsFile) implements NluSettings {}

  static Settings fromEnv(Map<String, String> env) {
    int port = port(env.getOrDefault("PORT", "").trim());
    String bind = env.getOrDefault("BIND_ADDRESS", "").trim();
    InetAddress address;
    try {
      address = InetAddress.getByName(bind.isEmpty() ? "127.0.0.1" : bind);
    } catch (UnknownHostException e) {
      throw new ConfigurationException("BIND_ADDRESS must be an IP address or host name of this machine but was '"
          + bind + "'");
    }
    Optional<Teams> teams = teams(env);
    Optional<Messenger> messenger = messenger(env);
    Optional<X> x = x(env);
    boolean otherChat = teams.isPresent() || messenger.isPresent() || x.isPresent();
    if (otherChat && get(env, "SLACK_SIGNING_SECRET").isEmpty() && get(env, "SLACK_BOT_TOKEN").isEmpty()
        && get(env, "SLACK_APP_TOKEN").isEmpty()) {
      return new Settings(port, address, "", "", "", "", jenkins(env), store(env), nlu(env),
          duration(env, "CHATOPS_LEASE"), duration(env, "CHATOPS_SWEEP_INTERVAL"), admin(env), access(env), teams,
          messenger, x);
    }
    String appToken = env.getOrDefault("SLACK_APP_TOKEN", "").trim();
    if (!appToken.isEmpty() && !appToken.startsWith("xapp-")) {
      throw new ConfigurationException("SLACK_APP_TOKEN must be an app-level token starting with xapp- "
          + "(Basic Information > App-Level Tokens)");
    }
    String secret = env.getOrDefault("SLACK_SIGNING_SECRET", "").trim();
    if (secret.isEmpty() && appToken.isEmpty()) {
      throw new ConfigurationException("SLACK_SIGNING_SECRET is required (Basic Information > App Credentials > "
          + "Signing Secret), unless SLACK_APP_TOKEN turns on Socket Mode");
    }
    String botToken = env.getOrDefault("SLACK_BOT_TOKEN", "").trim();
    if (botToken.isEmpty()) {
      throw new ConfigurationException("SLACK_BOT_TOKEN is required (OAuth & Permissions > Bot User OAuth Token)");
    }
    if (!botToken.startsWith("xoxb-") || botToken.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new ConfigurationException("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
    }
    String apiUrl = env.getOrDefault("SLACK_API_URL", "").trim();
    if (apiUrl.isEmpty()) {
      apiUrl = "https://slack.com/api/";
    }
    try {
      URI uri = new URI(apiUrl);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new URISyntaxException(apiUrl, "not an absolute http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw new ConfigurationException("SLACK_API_URL must be an absolute http(s) URL such as "
          + "https://slack.com/api/ but was '" + apiUrl + "'");
    }
    return new Settings(port, address, secret, botToken, apiUrl, appToken, jenkins(env), store(env),
        nlu(env), duration(env, "CHATOPS_LEASE"), duration(env, "CHATOPS_SWEEP_INTERVAL"), admin(env),
        access(env), teams, messenger, x);
  }

  private static Map<String, String> jenkins(Map<String, String> env) {
    Map<String, String> jenkins = new LinkedHashMap<>();
    for (String key : JENKINS_KEYS) {
      String value = env.getOrDefault(key, "").trim();
      if (!value.isEmpty()) {
        jenkins.put(key, value);
      }
    }
    return Map.copyOf(jenkins);
  }

  /** Whether Slack is served: false only when another chat platform is configured and no Slack variable is set. */
  boolean slackEnabled() {
    return !botToken.isEmpty();
  }

  // ---- Microsoft Teams (docs/teams.md)

  /**
   * Microsoft Teams at {@code /api/messages}.
   *
   * @param appId TEAMS_APP_ID, the Azure Bot's Microsoft App ID
   * @param appPassword TEAMS_APP_PASSWORD, its client secret
   * @param tenantId TEAMS_TENANT_ID, for a single-tenant bot: its tokens come from that tenant, which is the only
   *     one served unless TEAMS_ALLOWED_TENANTS says otherwise
   * @param allowedTenants TEAMS_ALLOWED_TENANTS, comma-separated; empty: every tenant
   * @param openIdMetadataUrl TEAMS_OPENID_METADATA_URL, Microsoft's by default
   * @param tokenUrl TEAMS_TOKEN_URL; empty: the multi-tenant endpoint, or the tenant's with TEAMS_TENANT_ID
   */
  record Teams(String appId, String appPassword, Optional<String> tenantId, List<String> allowedTenants,
      String openIdMetadataUrl, Optional<String> tokenUrl) {
    /** Everything but the password. */
    @Override
    public String toString() {
      return "Teams{appId=" + appId + ", password=***, tenant=" + tenantId.orElse("<multi-tenant>")
          + ", allowedTenants=" + allowedTenants + ", openIdMetadataUrl=" + openIdMetadataUrl + ", tokenUrl="
          + tokenUrl.orElse("<default>") + "}";
    }
  }

  private static final Pattern TEAMS_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");

  private static Optional<Teams> teams(Map<String, String> env) {
    String appId = get(env, "TEAMS_APP_ID");
    String password = get(env, "TEAMS_APP_PASSWORD");
    if (appId.isEmpty() && password.isEmpty()) {
      return Optional.empty();
    }
    if (appId.isEmpty()) {
      throw new ConfigurationException("TEAMS_APP_ID is required with TEAMS_APP_PASSWORD: the Azure Bot's Microsoft"
          + " App ID (Azure Bot > Configuration)");
    }
    if (password.isEmpty()) {
      throw new ConfigurationException("TEAMS_APP_PASSWORD is required with TEAMS_APP_ID: a client secret of the"
          + " bot's app registration (Certificates & secrets)");
    }
    if (!TEAMS_ID.matcher(appId).matches()) {
      throw new ConfigurationException("TEAMS_APP_ID must be the app's id, a GUID such as"
          + " 00000000-0000-0000-0000-000000000000, but was '" + clip(appId) + "'");
    }
    String tenant = get(env, "TEAMS_TENANT_ID");
    if (!tenant.isEmpty() && !TEAMS_ID.matcher(tenant).matches()) {
      throw new ConfigurationException("TEAMS_TENANT_ID must be a tenant id (a GUID) but was '" + clip(tenant) + "'");
    }
    List<String> tenants = new java.util.ArrayList<>();
    for (String part : get(env, "TEAMS_ALLOWED_TENANTS").split(",")) {
      String id = part.trim();
      if (id.isEmpty()) {
        continue;
      }
      if (!TEAMS_ID.matcher(id).matches()) {
        throw new ConfigurationException("TEAMS_ALLOWED_TENANTS must be a comma-separated list of tenant ids, but '"
            + clip(id) + "' is not one");
      }
      tenants.add(id);
    }
    String metadata = get(env, "TEAMS_OPENID_METADATA_URL");
    metadata = metadata.isEmpty() ? "https://login.botframework.com/v1/.well-known/openidconfiguration"
        : secureUrl(metadata, "TEAMS_OPENID_METADATA_URL");
    String tokenUrl = get(env, "TEAMS_TOKEN_URL");
    return Optional.of(new Teams(appId, password, tenant.isEmpty() ? Optional.empty() : Optional.of(tenant),
        List.copyOf(tenants), metadata,
        tokenUrl.isEmpty() ? Optional.empty() : Optional.of(secureUrl(tokenUrl, "TEAMS_TOKEN_URL"))));
  }

  // ---- Facebook Messenger and X direct messages (docs/messenger.md, docs/x.md)

  /**
   * Facebook Messenger at {@code /messenger/webhook}.
   *
   * @param appSecret MESSENGER_APP_SECRET, the Meta app's secret: deliveries are signed with it
   * @param verifyToken MESSENGER_VERIFY_TOKEN, the token typed into the webhook's settings
   * @param pageToken MESSENGER_PAGE_TOKEN, the page access token replies are sent with
   * @param apiUrl MESSENGER_API_URL, the Graph API's base URL of the current version by default
   * @param pageId MESSENGER_PAGE_ID, optional: messages for any other page are ignored
   */
  record Messenger(String appSecret, String verifyToken, String pageToken, String apiUrl, Optional<String> pageId) {
    /** Everything but the secrets. */
    @Override
    public String toString() {
      return "Messenger{appSecret=***, verifyToken=***, pageToken=***, apiUrl=" + apiUrl + ", page="
          + pageId.orElse("<any>") + "}";
    }
  }

  /**
   * X direct messages at {@code /x/webhook}.
   *
   * @param consumerSecret X_CONSUMER_SECRET, the app's API key secret: the CRC and deliveries are signed with it
   * @param botToken X_BOT_TOKEN, the bot account's OAuth 2.0 user-context token
   * @param botUserId X_BOT_USER_ID, the bot account's numeric user id
   * @param apiUrl X_API_URL, https://api.x.com/ by default
   */
  record X(String consumerSecret, String botToken, String botUserId, String apiUrl) {
    /** Everything but the secrets. */
    @Override
    public String toString() {
      return "X{consumerSecret=***, botToken=***, botUserId=" + botUserId + ", apiUrl=" + apiUrl + "}";
    }
  }

  private static Optional<Messenger> messenger(Map<String, String> env) {
    List<String> names = List.of("MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN", "MESSENGER_PAGE_TOKEN");
    if (!required(env, names, "Messenger (docs/messenger.md)")) {
      return Optional.empty();
    }
    String pageToken = get(env, "MESSENGER_PAGE_TOKEN");
    if (pageToken.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new ConfigurationException("MESSENGER_PAGE_TOKEN must be a page access token, without spaces");
    }
    String apiUrl = get(env, "MESSENGER_API_URL");
    String pageId = get(env, "MESSENGER_PAGE_ID");
    if (!pageId.isEmpty() && !pageId.matches("\\d{1,30}")) {
      throw new ConfigurationException("MESSENGER_PAGE_ID must be the page's numeric id but was '" + clip(pageId) + "'");
    }
    return Optional.of(new Messenger(get(env, "MESSENGER_APP_SECRET"), get(env, "MESSENGER_VERIFY_TOKEN"), pageToken,
        apiUrl.isEmpty() ? "https://graph.facebook.com/v24.0/" : secureUrl(apiUrl, "MESSENGER_API_URL"),
        pageId.isEmpty() ? Optional.empty() : Optional.of(pageId)));
  }

  private static Optional<X> x(Map<String, String> env) {
    if (!required(env, List.of("X_CONSUMER_SECRET", "X_BOT_TOKEN", "X_BOT_USER_ID"), "X (docs/x.md)")) {
      return Optional.empty();
    }
    String userId = get(env, "X_BOT_USER_ID");
    if (!userId.matches("\\d{1,25}")) {
      throw new ConfigurationException("X_BOT_USER_ID must be the bot account's numeric user id but was '"
          + clip(userId) + "'");
    }
    String token = get(env, "X_BOT_TOKEN");
    if (token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new ConfigurationException("X_BOT_TOKEN must be an OAuth 2.0 access token, without spaces");
    }
    String apiUrl = get(env, "X_API_URL");
    return Optional.of(new X(get(env, "X_CONSUMER_SECRET"), token, userId,
        apiUrl.isEmpty() ? "https://api.x.com/" : secureUrl(apiUrl, "X_API_URL")));
  }

  /** Whether all of {@code names} are set; none is fine (the platform is off), some is a mistake naming the rest. */
  private static boolean required(Map<String, String> env, List<String> names, String platform) {
    List<String> missing = names.stream().filter(n -> get(env, n).isEmpty()).collect(Collectors.toList());
    if (missing.size() == names.size()) {
      return false;
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
          + " required to serve " + platform + ": set " + String.join(", ", names));
    }
    return true;
  }

  /** An https URL, or http to a loopback address (tests, local emulators). */
  private static String secureUrl(String value, String name) {
    try {
      URI uri = new URI(value);
      String host = uri.getHost();
      if (host != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())
          && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")))) {
        return value;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigurationException(name + " must be an https URL (or http to a loopback address) but was '"
        + clip(value) + "'");
  }

  private static String clip(String value) {
    return (value.length() > 60 ? value.substring(0, 60) + "..." : value).replaceAll("\\p{Cntrl}", "?");
  }

  private static Admin admin(Map<String, String> env) {
    Optional<String> token = adminKey(env, "CHATOPS_ADMIN_TOKEN");
    Optional<String> secret = adminKey(env, "CHATOPS_ADMIN_SECRET");
    String keys = get(env, "CHATOPS_KEYS");
    String keysFile = get(env, "CHATOPS_KEYS_FILE");
    if (!keys.isEmpty() && !keysFile.isEmpty()) {
      throw new ConfigurationException("set CHATOPS_KEYS or CHATOPS_KEYS_FILE, not both");
    }
    Optional<KeyProvider> provider = Optional.empty();
    try {
      if (!keys.isEmpty()) {
        provider = Optional.of(KeyProvider.parse(keys));
      } else if (!keysFile.isEmpty()) {
        provider = Optional.of(KeyProvider.fromFile(Path.of(keysFile)));
      }
    } catch (ConfigurationException e) {
      throw new ConfigurationException((keys.isEmpty() ? "CHATOPS_KEYS_FILE: " : "CHATOPS_KEYS: ") + e.getMessage());
    }
    return new Admin(token, secret, provider);
  }

  private static Optional<String> adminKey(Map<String, String> env, String name) {
    String value = get(env, name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() < 16) {
      throw new ConfigurationException(name + " must have at least 16 characters (e.g. openssl rand -hex 32);"
          + " it was " + value.length());
    }
    return Optional.of(value);
  }

  /**
   * Access rules, rate limits and the audit log (docs/access.md).
   *
   * @param admins CHATOPS_ADMINS: user ids and {@code @groups}, comma-separated, who may use {@code audit}
   * @param groups CHATOPS_GROUP_&lt;NAME&gt;=U1,U2: the group {@code <name>} (lower case, '_' read as '-')
   * @param defaultAllow CHATOPS_DEFAULT_ACCESS, allow (default) or deny for routes without an Access rule
   * @param userRateLimit CHATOPS_USER_RATE_LIMIT, such as 30/1m (the default here), or off
   * @param routeRateLimit CHATOPS_ROUTE_RATE_LIMIT, such as 100/1m, or off (the default)
   * @param auditRetention CHATOPS_AUDIT_RETENTION, such as 30d; the router's default (30 days) when empty
   */
  record AccessSettings(List<String> admins, Map<String, List<String>> groups, boolean defaultAllow,
      Optional<RateLimit> userRateLimit, Optional<RateLimit> routeRateLimit, Optional<Duration> auditRetention) {}

  /** {@code <capacity>/<period>}: at most {@code capacity} invocations per {@code period}, in bursts or not. */
  record RateLimit(int capacity, Duration period) {}

  private static final Pattern ID = Pattern.compile("@?[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  private static final Pattern RATE = Pattern.compile("(\\d{1,6})/(\\d{1,9}(?:ms|s|m|h|d))");

  private static AccessSettings access(Map<String, String> env) {
    List<String> admins = ids(env, "CHATOPS_ADMINS", true);
    Map<String, List<String>> groups = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("CHATOPS_GROUP_")) {
        String name = e.getKey().substring("CHATOPS_GROUP_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
        if (!name.matches("[a-z0-9][a-z0-9.-]{0,63}")) {
          throw new ConfigurationException(e.getKey() + " does not name a group: use CHATOPS_GROUP_<NAME> with"
              + " letters, digits and '_' (read as '-'), such as CHATOPS_GROUP_RELEASE_MANAGERS");
        }
        groups.put(name, ids(env, e.getKey(), false));
      }
    }
    for (String admin : admins) {
      if (admin.startsWith("@") && !groups.containsKey(admin.substring(1))) {
        throw new ConfigurationException("CHATOPS_ADMINS names group " + admin + ", but no CHATOPS_GROUP_"
            + admin.substring(1).toUpperCase(Locale.ROOT).replace('-', '_') + " defines it");
      }
    }
    String policy = get(env, "CHATOPS_DEFAULT_ACCESS").toLowerCase(Locale.ROOT);
    if (!policy.isEmpty() && !policy.equals("allow") && !policy.equals("deny")) {
      throw new ConfigurationException("CHATOPS_DEFAULT_ACCESS must be allow or deny but was '"
          + get(env, "CHATOPS_DEFAULT_ACCESS") + "'");
    }
    Optional<Duration> retention = get(env, "CHATOPS_AUDIT_RETENTION").isEmpty() ? Optional.empty()
        : Optional.of(period(get(env, "CHATOPS_AUDIT_RETENTION"), "CHATOPS_AUDIT_RETENTION"));
    return new AccessSettings(admins, Map.copyOf(groups), !policy.equals("deny"),
        rate(env, "CHATOPS_USER_RATE_LIMIT", "30/1m"), rate(env, "CHATOPS_ROUTE_RATE_LIMIT", "off"), retention);
  }

  private static List<String> ids(Map<String, String> env, String name, boolean groupsAllowed) {
    List<String> ids = new java.util.ArrayList<>();
    for (String part : get(env, name).split(",")) {
      String id = part.trim();
      if (id.isEmpty()) {
        continue;
      }
      if (!ID.matcher(id).matches() || (!groupsAllowed && id.startsWith("@"))) {
        throw new ConfigurationException(name + " must be a comma-separated list of user ids" + (groupsAllowed
            ? " and @groups" : "") + " such as U0123ABC, but '" + (id.length() > 40 ? id.substring(0, 40) + "..."
            : id).replaceAll("\\p{Cntrl}", "?") + "' is not one");
      }
      ids.add(id);
    }
    return List.copyOf(ids);
  }

  private static Optional<RateLimit> rate(Map<String, String> env, String name, String defaultValue) {
    String value = get(env, name).toLowerCase(Locale.ROOT);
    if (value.isEmpty()) {
      value = defaultValue;
    }
    if (value.equals("off")) {
      return Optional.empty();
    }
    Matcher m = RATE.matcher(value);
    if (m.matches() && Integer.parseInt(m.group(1)) > 0) {
      Duration period = period(m.group(2), name);
      if (period.compareTo(Duration.ofDays(1)) <= 0) {
        return Optional.of(new RateLimit(Integer.parseInt(m.group(1)), period));
      }
    }
    throw new ConfigurationException(name + " must be <count>/<period> such as 30/1m (period up to 1d) or off,"
        + " but was '" + get(env, name) + "'");
  }

  private static Duration period(String value, String name) {
    if (value.endsWith("d") && value.matches("\\d{1,5}d") && Long.parseLong(value.replace("d", "")) > 0) {
      return Duration.ofDays(Long.parseLong(value.replace("d", "")));
    }
    return duration(Map.of(name, value), name).orElseThrow();
  }

  private static String get(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null ? "" : value.trim();
  }

  private static StoreSettings store(Map<String, String> env) {
    String kind = get(env, "CHATOPS_STORE").toLowerCase(Locale.ROOT);
    switch (kind) {
      case "":
      case "memory":
        return new Memory();
      case "dynamodb":
        return dynamoDb(env);
      case "datastore":
        return datastore(env);
      default:
        throw new ConfigurationException("CHATOPS_STORE must be memory, dynamodb or datastore but was '"
            + get(env, "CHATOPS_STORE") + "'");
    }
  }

  private static DynamoDb dynamoDb(Map<String, String> env) {
    String table = get(env, "DYNAMODB_TABLE");
    if (table.isEmpty()) {
      throw new ConfigurationException("DYNAMODB_TABLE is required with CHATOPS_STORE=dynamodb: the name of the"
          + " table (docs/stores.md says how to create it)");
    }
    if (!TABLE.matcher(table).matches()) {
      throw new ConfigurationException("DYNAMODB_TABLE must be 3 to 255 letters, digits, '_', '-' or '.' but was '"
          + table + "'");
    }
    String endpointValue = get(env, "DYNAMODB_ENDPOINT");
    Optional<URI> endpoint = Optional.empty();
    if (!endpointValue.isEmpty()) {
      endpoint = Optional.of(httpUrl(endpointValue, "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000"));
    }
    String region = get(env, "AWS_REGION");
    if (region.isEmpty()) {
      if (endpoint.isEmpty()) {
        throw new ConfigurationException("AWS_REGION is required with CHATOPS_STORE=dynamodb (such as us-east-1),"
            + " unless DYNAMODB_ENDPOINT is set");
      }
      region = "us-east-1";
    } else if (!REGION.matcher(region).matches()) {
      throw new ConfigurationException("AWS_REGION must be a region such as us-east-1 but was '" + region + "'");
    }
    boolean createTable = bool(env, "DYNAMODB_CREATE_TABLE", endpoint.isPresent());
    boolean dummyCredentials = endpoint.isPresent() && get(env, "AWS_ACCESS_KEY_ID").isEmpty();
    return new DynamoDb(table, region, endpoint, createTable, dummyCredentials);
  }

  private static Datastore datastore(Map<String, String> env) {
    String project = get(env, "DATASTORE_PROJECT_ID");
    if (project.isEmpty()) {
      throw new ConfigurationException("DATASTORE_PROJECT_ID is required with CHATOPS_STORE=datastore: the Google"
          + " Cloud project of the database");
    }
    if (!GCP_PROJECT.matcher(project).matches()) {
      throw new ConfigurationException("DATASTORE_PROJECT_ID must be a Google Cloud project id such as my-bot-123"
          + " but was '" + project + "'");
    }
    String namespace = get(env, "DATASTORE_NAMESPACE");
    if (!NAMESPACE.matcher(namespace).matches() || (namespace.startsWith("__") && namespace.endsWith("__"))) {
      throw new ConfigurationException("DATASTORE_NAMESPACE must be up to 100 letters, digits, '.', '_' or '-'"
          + " (and not __reserved__) but was '" + namespace + "'");
    }
    String emulator = get(env, "DATASTORE_EMULATOR_HOST");
    if (!emulator.isEmpty() && !HOST_PORT.matcher(emulator).matches()) {
      throw new ConfigurationException("DATASTORE_EMULATOR_HOST must be host:port such as localhost:8081 but was '"
          + emulator + "'");
    }
    return new Datastore(project, namespace, emulator.isEmpty() ? Optional.empty() : Optional.of(emulator));
  }

  private static NluSettings nlu(Map<String, String> env) {
    String kind = get(env, "CHATOPS_NLU").toLowerCase(Locale.ROOT);
    if (kind.isEmpty() || kind.equals("local") || ModelWiring.wantsModel(env)) {
      return new LocalNluSettings(); // a language model (CHATOPS_NLU=llm, local,llm): ModelWiring builds it
    }
    if (!kind.equals("dialogflow")) {
      throw new ConfigurationException("CHATOPS_NLU must be local, dialogflow, llm or local,llm but was '"
          + get(env, "CHATOPS_NLU")
          + "'");
    }
    String project = get(env, "DIALOGFLOW_PROJECT_ID");
    if (project.isEmpty()) {
      throw new ConfigurationException("DIALOGFLOW_PROJECT_ID is required with CHATOPS_NLU=dialogflow: the Google"
          + " Cloud project of the agent");
    }
    if (!GCP_PROJECT.matcher(project).matches()) {
      throw new ConfigurationException("DIALOGFLOW_PROJECT_ID must be a Google Cloud project id such as"
          + " my-agent-123 but was '" + project + "'");
    }
    String language = get(env, "DIALOGFLOW_LANGUAGE");
    if (language.isEmpty()) {
      language = "en";
    } else if (!LANGUAGE.matcher(language).matches()) {
      throw new ConfigurationException("DIALOGFLOW_LANGUAGE must be a language code such as en or pt-BR but was '"
          + language + "'");
    }
    String key = get(env, "GOOGLE_APPLICATION_CREDENTIALS");
    Optional<Path> keyFile = Optional.empty();
    if (!key.isEmpty()) {
      Path path = Path.of(key);
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new ConfigurationException("GOOGLE_APPLICATION_CREDENTIALS must name a readable service account key"
            + " file but '" + key + "' is not one");
      }
      keyFile = Optional.of(path);
    }
    return new DialogFlow(project, language, keyFile);
  }

  private static Optional<Duration> duration(Map<String, String> env, String name) {
    String value = get(env, name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(value);
    if (m.matches() && Long.parseLong(m.group(1)) > 0) {
      long amount = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Optional.of(Duration.ofMillis(amount));
        case "s":
          return Optional.of(Duration.ofSeconds(amount));
        case "m":
          return Optional.of(Duration.ofMinutes(amount));
        default:
          return Optional.of(Duration.ofHours(amount));
      }
    }
    throw new ConfigurationException(name + " must be a positive duration such as 500ms, 30s, 5m or 1h but was '"
        + value + "'");
  }

  private static boolean bool(Map<String, String> env, String name, boolean defaultValue) {
    String value = get(env, name).toLowerCase(Locale.ROOT);
    if (value.isEmpty()) {
      return defaultValue;
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new ConfigurationException(name + " must be true or false but was '" + get(env, name) + "'");
  }

  private static URI httpUrl(String value, String name, String example) {
    try {
      URI uri = new URI(value);
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigurationException(name + " must be an absolute http(s) URL such as " + example + " but was '"
        + value + "'");
  }

  /** Whether all three Jenkins credentials are set. */
  boolean jenkinsConfigured() {
    return jenkins.size() == JENKINS_KEYS.size();
  }

  private static int port(String value) {
    if (value.isEmpty()) {
      return 3000;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException("PORT must be a number from 0 to 65535 but was '" + value + "'");
  }

  @Override
  public String toString() {
    return "Settings{port=" + port + ", bind=" + bindAddress.getHostAddress() + ", apiUrl=" + apiUrl
        + ", socketMode=" + !appToken.isEmpty() + ", jenkins=" + jenkinsConfigured() + ", store=" + store
        + ", nlu=" + nlu + ", teams=" + teams.map(Teams::toString).orElse("off") + "}";
  }
}
