package ai.chatops.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code chatops.*} properties. Spring's relaxed binding maps environment variables onto them:
 * {@code CHATOPS_SLACK_SIGNING_SECRET} is {@code chatops.slack.signing-secret}, {@code CHATOPS_JENKINS_URL}
 * is {@code chatops.jenkins.url}. Secrets (signing secret, tokens) are masked in {@code /actuator/env} and
 * {@code /actuator/configprops}. Mutable, as Spring binds it; read once when the router is built.
 */
@ConfigurationProperties("chatops")
public class ChatOpsProperties {
  /** Whether to build the router and serve it; true by default. */
  private boolean enabled = true;
  private final Slack slack = new Slack();
  private final Jenkins jenkins = new Jenkins();
  private final Nlu nlu = new Nlu();
  private final Access access = new Access();
  private final Router router = new Router();
  /** Where events are journalled: memory (the default), dynamodb or datastore; a Store bean replaces it. */
  private String store = "memory";
  private final DynamoDb dynamodb = new DynamoDb();
  private final Datastore datastore = new Datastore();
  /** Bearer token (at least 16 characters) that enables /v1/yaml for administrators. */
  private String adminToken;
  /** HMAC secret (at least 16 characters) that enables signed requests to /v1/yaml. */
  private String adminSecret;
  /** The keys that encrypt the credentials /v1/yaml stores: lines of id:base64 of 32 bytes, current first. */
  private String keys;
  /** A file holding the keys, in the format of chatops.keys; set one of the two. */
  private String keysFile;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Slack getSlack() {
    return slack;
  }

  public Jenkins getJenkins() {
    return jenkins;
  }

  public Nlu getNlu() {
    return nlu;
  }

  public Access getAccess() {
    return access;
  }

  public Router getRouter() {
    return router;
  }

  public String getStore() {
    return store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  public DynamoDb getDynamodb() {
    return dynamodb;
  }

  public Datastore getDatastore() {
    return datastore;
  }

  public String getAdminToken() {
    return adminToken;
  }

  public void setAdminToken(String adminToken) {
    this.adminToken = adminToken;
  }

  public String getAdminSecret() {
    return adminSecret;
  }

  public void setAdminSecret(String adminSecret) {
    this.adminSecret = adminSecret;
  }

  public String getKeys() {
    return keys;
  }

  public void setKeys(String keys) {
    this.keys = keys;
  }

  public String getKeysFile() {
    return keysFile;
  }

  public void setKeysFile(String keysFile) {
    this.keysFile = keysFile;
  }

  @Override
  public String toString() {
    return "ChatOpsProperties{enabled=" + enabled + ", " + slack + ", " + jenkins + ", store=" + store
        + ", adminToken=" + (adminToken == null ? "unset" : "****") + ", adminSecret="
        + (adminSecret == null ? "unset" : "****") + ", keys=" + (keys == null ? "unset" : "****") + ", keysFile="
        + keysFile + "}";
  }

  /** The DynamoDB table of {@code chatops.store=dynamodb} (needs chatops-store-dynamodb on the class path). */
  public static class DynamoDb {
    /** Name of the table (docs/stores.md says how to create it). */
    private String table;
    /** AWS region, such as us-east-1; the AWS SDK's default (AWS_REGION, the profile) when unset. */
    private String region;
    /** Endpoint of a DynamoDB-compatible server, such as http://127.0.0.1:8000 (dynalite); AWS's when unset. */
    private String endpoint;
    /** Whether to create the table at start unless it exists; true by default when an endpoint is set. */
    private Boolean createTable;

    public String getTable() {
      return table;
    }

    public void setTable(String table) {
      this.table = table;
    }

    public String getRegion() {
      return region;
    }

    public void setRegion(String region) {
      this.region = region;
    }

    public String getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }

    public Boolean getCreateTable() {
      return createTable;
    }

    public void setCreateTable(Boolean createTable) {
      this.createTable = createTable;
    }
  }

  /** The Datastore database of {@code chatops.store=datastore} (needs chatops-store-datastore). */
  public static class Datastore {
    /** Google Cloud project of the database; the client's default (DATASTORE_PROJECT_ID...) when unset. */
    private String projectId;
    /** Namespace of the entities; the default namespace when unset. */
    private String namespace;
    /** host:port of the Datastore emulator, such as localhost:8081; Google Cloud when unset. */
    private String emulatorHost;

    public String getProjectId() {
      return projectId;
    }

    public void setProjectId(String projectId) {
      this.projectId = projectId;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    public String getEmulatorHost() {
      return emulatorHost;
    }

    public void setEmulatorHost(String emulatorHost) {
      this.emulatorHost = emulatorHost;
    }
  }

  /** The Slack app: enabled when the bot token is set. */
  public static class Slack {
    /** Signing secret of the Slack app (Basic Information), which verifies every request. */
    private String signingSecret;
    /** Bot token (xoxb-...) the replies are posted with. */
    private String botToken;
    /** Base URL of the Slack Web API; https://slack.com/api/ by default (tests point it at a fake). */
    private String apiUrl;

    public String getSigningSecret() {
      return signingSecret;
    }

    public void setSigningSecret(String signingSecret) {
      this.signingSecret = signingSecret;
    }

    public String getBotToken() {
      return botToken;
    }

    public void setBotToken(String botToken) {
      this.botToken = botToken;
    }

    public String getApiUrl() {
      return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
      this.apiUrl = apiUrl;
    }

    @Override
    public String toString() {
      return "Slack{signingSecret=" + (signingSecret == null ? "unset" : "****") + ", botToken="
          + (botToken == null ? "unset" : "****") + ", apiUrl=" + apiUrl + "}";
    }
  }

  /** The Jenkins plugin: registered when the URL is set; its commands name what else is missing. */
  public static class Jenkins {
    /** Base URL of Jenkins, such as https://ci.example.com/. */
    private String url;
    /** The Jenkins user the bot acts as. */
    private String user;
    /** That user's API token. */
    private String apiToken;

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getUser() {
      return user;
    }

    public void setUser(String user) {
      this.user = user;
    }

    public String getApiToken() {
      return apiToken;
    }

    public void setApiToken(String apiToken) {
      this.apiToken = apiToken;
    }

    @Override
    public String toString() {
      return "Jenkins{url=" + url + ", user=" + user + ", apiToken=" + (apiToken == null ? "unset" : "****") + "}";
    }
  }

  /** What understands free text, unless the context has an {@code NluEngine} bean. */
  public static class Nlu {
    /** local (the embedded engine trained on the plugins' examples) or none (explicit commands only). */
    private String kind = "local";
    /** Confidence below which the bot asks "Did you mean ...?" before acting. */
    private double threshold = 0.6;

    public String getKind() {
      return kind;
    }

    public void setKind(String kind) {
      this.kind = kind;
    }

    public double getThreshold() {
      return threshold;
    }

    public void setThreshold(double threshold) {
      this.threshold = threshold;
    }
  }

  /** Who may run what (docs/access.md), unless the context has an {@code AccessPolicy} bean. */
  public static class Access {
    /** Groups by name, each a list of user ids: chatops.access.groups.deployers=U1,U2. */
    private Map<String, List<String>> groups = new LinkedHashMap<>();
    /** Administrators: user ids and @groups. */
    private List<String> admins = new ArrayList<>();
    /** Whether routes without an Access rule are open to everyone (allow) or to administrators only. */
    private boolean defaultAllow = true;

    public Map<String, List<String>> getGroups() {
      return groups;
    }

    public void setGroups(Map<String, List<String>> groups) {
      this.groups = groups;
    }

    public List<String> getAdmins() {
      return admins;
    }

    public void setAdmins(List<String> admins) {
      this.admins = admins;
    }

    public boolean isDefaultAllow() {
      return defaultAllow;
    }

    public void setDefaultAllow(boolean defaultAllow) {
      this.defaultAllow = defaultAllow;
    }
  }

  /** The router's own limits. */
  public static class Router {
    /** Threads processing events. */
    private int workerThreads = 16;
    /** Events queued before new ones are refused with 503. */
    private int queueCapacity = 1024;
    /** How long a plugin call may run. */
    private Duration pluginTimeout = Duration.ofSeconds(30);
    /** How long shutdown waits for in-flight events. */
    private Duration drainTimeout = Duration.ofSeconds(10);
    /** The largest request body accepted; larger ones get 413. */
    private int maxBodyBytes = 1024 * 1024;

    public int getWorkerThreads() {
      return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
      this.workerThreads = workerThreads;
    }

    public int getQueueCapacity() {
      return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
    }

    public Duration getPluginTimeout() {
      return pluginTimeout;
    }

    public void setPluginTimeout(Duration pluginTimeout) {
      this.pluginTimeout = pluginTimeout;
    }

    public Duration getDrainTimeout() {
      return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
    }

    public int getMaxBodyBytes() {
      return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
    }
  }
}
