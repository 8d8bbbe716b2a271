package ai.chatops.jenkins;

import ai.chatops.ConfigurationException;
import ai.chatops.PluginFailedException;
import ai.chatops.http.BasicAuth;
import ai.chatops.jenkins.internal.JenkinsActions;
import ai.chatops.jenkins.internal.JenkinsClient;
import ai.chatops.jenkins.internal.Settings;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.AttributeSpec;
import ai.chatops.plugin.AttributeType;
import ai.chatops.plugin.PluginResources;
import ai.chatops.plugin.EntitySource;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.PluginRoutes;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.PluginContext;
import ai.chatops.plugin.Route;
import ai.chatops.plugin.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Drives Jenkins from chat: {@code build} queues a job and follows it to its result, {@code start} queues it
 * without following, {@code stop} aborts a running build, {@code jobs} lists jobs with their state and
 * {@code status} shows the last build. Routes and typed attributes are declared below, next to their handlers
 * ({@link #routes()}); credentials and training material ship in this jar under
 * {@code chatops/plugins/jenkins/}; see {@code docs/jenkins.md}.
 *
 * <pre>{@code
 * EventRouter router = EventRouter.builder()
 *     .service(slack)
 *     .plugin(JenkinsPlugin.builder().maxPollInterval(Duration.ofMinutes(1)).build(), Map.of(
 *         "JENKINS_URL", "https://ci.example.com/",
 *         "JENKINS_USER", "chatops-bot",
 *         "JENKINS_API_TOKEN", token))
 *     .build();
 * }</pre>
 *
 * <p>Following a build holds no thread: {@code build} returns a follow-up on the queue item, each
 * {@link #poll} checks Jenkins once, and the router polls again after the follow-up's interval. The interval
 * doubles, up to {@code maxPollInterval}, when the build starts, at every check while the item waits in the
 * queue for something other than its quiet period, and at every failed check; the state (failures in a row,
 * whether the user was told why the item waits) travels in the follow-up's key, and silent changes use
 * {@link Action#keepFollowing}. Following ends with the result, after {@code followTimeout}, or when Jenkins no
 * longer knows the build.
 *
 * <p>Thread-safe: one instance serves concurrent requests. Credentials are read in {@link #connect} and never
 * shown in replies, logs or {@link #toString()}.
 */
public final class JenkinsPlugin implements Plugin, EntitySource {
  /** The root URL of Jenkins, such as {@code https://ci.example.com/jenkins/}. */
  public static final String JENKINS_URL = "JENKINS_URL";
  /** The Jenkins user the bot acts as. */
  public static final String JENKINS_USER = "JENKINS_USER";
  /** The user's API token (or password, with {@link Builder#crumbFirst(boolean)}). */
  public static final String JENKINS_API_TOKEN = "JENKINS_API_TOKEN";

  static final String NOT_CONFIGURED =
      "Jenkins is not configured: set JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN";

  /** A job's full name, such as {@code team/api-server}. */
  private static final AttributeSpec ID = AttributeSpec.builder("ID", AttributeType.STRING)
      .required(true).description("The job's full name, such as team/api-server").build();
  /** A build number, such as 42. */
  private static final AttributeSpec NUMBER = AttributeSpec.builder("NUMBER", AttributeType.INTEGER)
      .description("A build number, such as 42").build();
  private static final AttributeSpec JOB_PARAM = AttributeSpec.builder("JOB_PARAM", AttributeType.STRING)
      .description("More build parameters, as \"KEY=value KEY2=value\"").build();

  private final Settings settings;
  private final PluginRoutes routes;
  private volatile Connection connection;

  private record Connection(JenkinsClient client, JenkinsActions actions) {}

  private JenkinsPlugin(Settings settings) {
    this.settings = settings;
    AttributeSpec branch = AttributeSpec.builder("BRANCH",
            AttributeType.entity(PluginResources.of("jenkins", JenkinsPlugin.class.getClassLoader()).entity("branch")))
        .description("A multibranch project's branch, or the job's BRANCH parameter").build();
    this.routes = PluginRoutes.builder("jenkins")
        .route("build", r -> r
            .description("Queues job ID (BRANCH picks a multibranch branch or is passed as the BRANCH parameter;"
                + " JOB_PARAM=\"KEY=value ...\" adds parameters), posts the build link and reports the result when"
                + " it ends")
            .attribute(withPrompts(ID, "Which job should I build?", "Which job? Give its full name, such as"
                + " team/api-server."))
            .attribute(branch).attribute(JOB_PARAM)
            .handleAsync(call -> connected().actions().buildAsync(call)))
        .route("start", r -> r
            .description("Queues job ID like build and posts its link, without following it")
            .attribute(withPrompts(ID, "Which job should I start?", "Which job? Give its full name, such as"
                + " team/api-server."))
            .attribute(branch).attribute(JOB_PARAM)
            .handleAsync(call -> connected().actions().startAsync(call)))
        .route("stop", r -> r
            .description("Aborts the running build of ID (on BRANCH), or build NUMBER")
            .attribute(withPrompts(ID, "Which job should I stop?", "Which job's build should I abort?"))
            .attribute(branch).attribute(NUMBER)
            .confirm()
            .handleAsync(call -> connected().actions().stopAsync(call)))
        .route("jobs", r -> r
            .description("Lists the jobs with their state, inside folders too; ID narrows to one folder")
            .attribute(AttributeSpec.builder("ID", AttributeType.STRING).description("A folder to list").build())
            .handle(call -> connected().actions().jobs(call)))
        .route("status", r -> r
            .description("Shows the last build of ID (or build NUMBER): state, number, duration and link")
            .attribute(withPrompts(ID, "Which job?", "Which job do you want the status of?"))
            .attribute(branch).attribute(NUMBER)
            .handle(call -> connected().actions().status(call)))
        .build();
  }

  private static AttributeSpec withPrompts(AttributeSpec spec, String... prompts) {
    AttributeSpec.Builder b = AttributeSpec.builder(spec.name(), spec.type()).required(spec.required());
    spec.description().ifPresent(b::description);
    for (String prompt : prompts) {
      b.prompt(prompt);
    }
    return b.build();
  }

  /**
   * A plugin with the default options, for {@link java.util.ServiceLoader}; in code, prefer {@link #create()}
   * or {@link #builder()}.
   */
  public JenkinsPlugin() {
    this(builder().settings());
  }

  /** A plugin with the default options. */
  public static JenkinsPlugin create() {
    return builder().build();
  }

  /** Starts a builder with the defaults listed on each option. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "jenkins";
  }

  /**
   * Reads JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN and builds the API client; contacts nobody.
   *
   * @throws ConfigurationException naming every missing credential, or what is wrong with one
   */
  @Override
  public synchronized void connect(PluginContext context) {
    List<String> missing = new ArrayList<>();
    for (String key : List.of(JENKINS_URL, JENKINS_USER, JENKINS_API_TOKEN)) {
      if (context.credentials().get(key).isEmpty()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException(NOT_CONFIGURED + " (missing: " + String.join(", ", missing) + ")");
    }
    String user = context.credentials().require(JENKINS_USER);
    BasicAuth auth;
    try {
      auth = BasicAuth.of(user, context.credentials().require(JENKINS_API_TOKEN));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("JENKINS_USER: " + e.getMessage());
    }
    JenkinsClient client;
    try {
      client = new JenkinsClient(context.credentials().require(JENKINS_URL), auth, settings.requestTimeout(),
          settings.crumbFirst());
    } catch (ConfigurationException e) {
      throw new ConfigurationException("JENKINS_URL: " + e.getMessage(), e);
    }
    Connection previous = connection;
    connection = new Connection(client, new JenkinsActions(client, user, settings, context.clock()));
    if (previous != null) {
      previous.client().close();
    }
  }

  @Override
  public synchronized void close() {
    Connection current = connection;
    connection = null;
    if (current != null) {
      current.client().close();
    }
  }

  /** PASSED with Jenkins' version and the signed-in user, or ERROR saying what failed. */
  @Override
  public Status healthCheck() {
    Connection current = connection;
    if (current == null) {
      return Status.of(name(), Status.State.ERROR, NOT_CONFIGURED);
    }
    return current.actions().healthCheck();
  }

  /**
   * The routes build, start, stop, jobs and status, with their typed attributes; each handler throws
   * {@link PluginFailedException} with a message for the user when Jenkins refuses, fails or is not configured.
   */
  @Override
  public Optional<PluginRoutes> routes() {
    return Optional.of(routes);
  }

  /** {@code jobs} and {@code status}: they change nothing in Jenkins. */
  @Override
  public boolean idempotent(Route route) {
    return JenkinsActions.idempotent(route.action());
  }

  /**
   * After a restart during {@code build} or {@code start}: finds the request's queue item or build by its
   * {@code CHATOPS_REQUEST_ID} parameter, and queues only when Jenkins never got the request.
   */
  @Override
  public Optional<Action> recover(Invocation invocation) {
    return Optional.of(connected().actions().recover(invocation));
  }

  /** Checks once on the queue item or build a {@code build} asked to follow. */
  @Override
  public Optional<Action> poll(FollowUp followUp) {
    Connection current = connection;
    if (current == null) {
      return Optional.of(Action.reply(NOT_CONFIGURED + "; I stopped following " + followUp.description() + "."));
    }
    return current.actions().poll(followUp);
  }

  private Connection connected() {
    Connection current = connection;
    if (current == null) {
      throw new PluginFailedException(NOT_CONFIGURED + ".");
    }
    return current;
  }

  /**
   * The job and folder paths ({@code ID}) and the branches of multibranch projects ({@code BRANCH}) Jenkins
   * has now, for the local NLU ({@link ai.chatops.nlu.RuntimeEntities}): one request to Jenkins.
   *
   * @throws IllegalStateException before {@link #connect}; {@link ai.chatops.http.ApiException} when Jenkins
   *     fails (the previous values are then kept)
   */
  @Override
  public java.util.Map<String, java.util.Set<String>> entityValues() {
    Connection current = connection;
    if (current == null) {
      throw new IllegalStateException("the jenkins plugin is not connected");
    }
    JenkinsClient.Names names = current.client().names();
    return java.util.Map.of("ID", names.jobs(), "BRANCH", names.branches());
  }

  @Override
  public String toString() {
    Connection current = connection;
    return "JenkinsPlugin{" + (current == null ? "not connected" : current.client().baseUrl()) + "}";
  }

  /** Builds a {@link JenkinsPlugin}. Not thread-safe. */
  public static final class Builder {
    private Duration pollInterval = Duration.ofSeconds(10);
    private Duration maxPollInterval = Duration.ofMinutes(1);
    private Duration followTimeout = Duration.ofHours(2);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int failuresBeforeNotice = 3;
    private boolean crumbFirst;

    private Builder() {}

    /** The first wait between checks of a queued build; 10 s by default. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive(interval, "pollInterval");
      return this;
    }

    /** The longest wait between checks, however often it was lengthened; 1 min by default. */
    public Builder maxPollInterval(Duration interval) {
      this.maxPollInterval = positive(interval, "maxPollInterval");
      return this;
    }

    /** How long a build is followed, time in the queue included; 2 h by default. */
    public Builder followTimeout(Duration timeout) {
      this.followTimeout = positive(timeout, "followTimeout");
      return this;
    }

    /**
     * The longest one request to Jenkins may take, answer included; 10 s by default. Keep it well under the
     * router's plugin timeout: a request that fails on the network is tried once more.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * How many checks in a row may fail (no answer, 5xx, not JSON) before the user is told, once; every
     * failed check slows the checks down. 3 by default.
     */
    public Builder failuresBeforeNotice(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("failuresBeforeNotice must be at least 1 but was " + failures);
      }
      this.failuresBeforeNotice = failures;
      return this;
    }

    /**
     * Whether to fetch a CSRF crumb before the first POST; false by default. API tokens need none since
     * Jenkins 2.96, so by default a crumb is fetched only when Jenkins answers 403 "No valid crumb". Set it
     * when JENKINS_API_TOKEN holds a password.
     */
    public Builder crumbFirst(boolean crumbFirst) {
      this.crumbFirst = crumbFirst;
      return this;
    }

    /**
     * Builds the plugin.
     *
     * @throws IllegalArgumentException when {@code maxPollInterval} is shorter than {@code pollInterval}
     */
    public JenkinsPlugin build() {
      return new JenkinsPlugin(settings());
    }

    private Settings settings() {
      if (maxPollInterval.compareTo(pollInterval) < 0) {
        throw new IllegalArgumentException("maxPollInterval (" + maxPollInterval
            + ") must not be shorter than pollInterval (" + pollInterval + ")");
      }
      return new Settings(pollInterval, maxPollInterval, followTimeout, requestTimeout, failuresBeforeNotice,
          crumbFirst);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
      return d;
    }
  }
}
