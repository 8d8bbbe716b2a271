package ai.chatops.jenkins.internal;

import ai.chatops.http.ApiException;
import ai.chatops.http.ApiRequest;
import ai.chatops.http.ApiResponse;
import ai.chatops.http.BasicAuth;
import ai.chatops.http.Requester;
import ai.chatops.jenkins.internal.JenkinsJson.Build;
import ai.chatops.jenkins.internal.JenkinsJson.Crumb;
import ai.chatops.jenkins.internal.JenkinsJson.Job;
import ai.chatops.jenkins.internal.JenkinsJson.QueueItem;
import ai.chatops.jenkins.internal.JenkinsJson.Root;
import ai.chatops.jenkins.internal.JenkinsJson.WhoAmI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The Jenkins REST calls the plugin makes, on the core {@link Requester}: user + API token authentication, a
 * CSRF crumb fetched when Jenkins asks for one (or always, for password authentication), builds queued with
 * or without parameters, queue items, builds, job lists and stops.
 *
 * <p>Every call throws {@link ApiException} when Jenkins does not answer with 2xx JSON. Thread-safe; close it
 * to release its connections.
 */
public final class JenkinsClient implements AutoCloseable {
  /** What a job lookup reads: its kind, parameters, branches, recent builds and last build. */
  static final String JOB_TREE = "_class,name,url,color,buildable,property[parameterDefinitions[name]],"
      + "jobs[name,color],builds[number,url,building]{0,10},"
      + "lastBuild[number,url,building,result,duration,timestamp,previousBuild[number,result]],"
      + "queueItem[id,why]";
  /** What finding a request's build among a job's recent builds reads. */
  static final String RECENT_BUILDS_TREE = "builds[number,url,building,actions[parameters[name,value]]]{0,50}";
  /** What finding a request's queue item reads. */
  static final String QUEUE_ITEMS_TREE = "items[id,task[name,url],actions[parameters[name,value]]]";
  /** What following a build reads. */
  static final String BUILD_TREE =
      "number,url,building,result,duration,estimatedDuration,timestamp,fullDisplayName,previousBuild[number,result]";
  /** Four levels of folders, each job with its colour. */
  static final String JOBS_TREE = "jobs[_class,name,url,color,jobs[_class,name,url,color,"
      + "jobs[_class,name,url,color,jobs[_class,name,url,color]]]]";
  static final String QUEUE_TREE = "_class,id,blocked,buildable,stuck,cancelled,why,executable[number,url]";

  private static final Pattern QUEUE_LOCATION = Pattern.compile("/queue/item/(\\d+)/?$");
  /** Marks "CSRF protection is off": the crumb issuer answered 404. */
  private static final Crumb NO_CRUMB = new Crumb("", "");

  private final OkHttpClient http;
  private final Requester requester;
  private final boolean crumbFirst;
  private final AtomicReference<Crumb> crumb = new AtomicReference<>();

  /**
   * Creates the client.
   *
   * @param baseUrl Jenkins' root URL, such as {@code https://ci.example.com/jenkins/}
   * @param auth the user and API token (or password)
   * @param requestTimeout the longest one request may take, answer included
   * @param crumbFirst fetch a crumb before the first POST (password authentication) instead of on demand
   */
  public JenkinsClient(String baseUrl, BasicAuth auth, Duration requestTimeout, boolean crumbFirst) {
    // Builds and stops are sent asynchronously, one call per chat request waiting on Jenkins: OkHttp's default
    // of 5 calls at once per host would queue a burst of them behind each other. The router bounds how many
    // are pending (EventRouter.Builder.maxPendingCalls).
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(256);
    this.http = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .cookieJar(new SessionCookies())
        .addNetworkInterceptor(new KeepPostRedirects())
        .build();
    this.requester = Requester.builder()
        .baseUrl(baseUrl)
        .basicAuth(auth)
        .okHttpClient(http)
        .connectTimeout(requestTimeout)
        .readTimeout(requestTimeout)
        .callTimeout(requestTimeout)
        .maxRetries(1)
        .initialBackoff(Duration.ofMillis(200))
        .maxBackoff(Duration.ofSeconds(2))
        .userAgent("chatops-java-jenkins")
        .build();
    this.crumbFirst = crumbFirst;
  }

  /** The base URL, ending in {@code /}. */
  public String baseUrl() {
    return requester.baseUrl();
  }

  /** Who Jenkins takes us for, and its version from the {@code X-Jenkins} header. */
  public record Identity(WhoAmI who, Optional<String> version) {}

  public Identity whoAmI() {
    ApiResponse response = requester.execute(ApiRequest.get("whoAmI/api/json").build());
    return new Identity(response.json(WhoAmI.class), response.header("X-Jenkins"));
  }

  /** A job, folder or multibranch project. */
  public Job job(JobPath path) {
    return requester.json(path.request("GET", "api", "json").queryParam("tree", JOB_TREE).build(), Job.class);
  }

  /** The jobs at the top level, or inside {@code folder}, with their sub-folders. */
  public List<Job> jobs(Optional<JobPath> folder) {
    ApiRequest.Builder request = folder.map(f -> f.request("GET", "api", "json"))
        .orElseGet(() -> ApiRequest.get("api/json"));
    Root root = requester.json(request.queryParam("tree", JOBS_TREE).build(), Root.class);
    return root.jobs() == null ? List.of() : root.jobs();
  }

  /**
   * The names the chat may use: every job and folder path ({@code team/api-server}) and every branch of a
   * multibranch project, four levels deep, in one request; at most {@value #MAX_NAMES} of each.
   */
  public record Names(java.util.Set<String> jobs, java.util.Set<String> branches) {}

  static final int MAX_NAMES = 5000;

  /** The job, folder and branch names of the whole server, for the NLU's runtime entities (one request). */
  public Names names() {
    java.util.Set<String> jobs = new java.util.LinkedHashSet<>();
    java.util.Set<String> branches = new java.util.LinkedHashSet<>();
    collectNames(jobs(Optional.empty()), "", false, jobs, branches);
    return new Names(java.util.Collections.unmodifiableSet(jobs), java.util.Collections.unmodifiableSet(branches));
  }

  private static void collectNames(List<Job> list, String prefix, boolean branchesOfProject,
      java.util.Set<String> jobs, java.util.Set<String> branches) {
    for (Job job : list) {
      if (job.name() == null || job.name().isBlank()) {
        continue;
      }
      if (branchesOfProject) {
        if (branches.size() < MAX_NAMES) {
          branches.add(JobPath.decodeName(job.name()));
        }
        continue;
      }
      String path = prefix + job.name();
      if (jobs.size() < MAX_NAMES) {
        jobs.add(path);
      }
      if (job.jobs() != null) {
        collectNames(job.jobs(), path + "/", job.isMultibranch(), jobs, branches);
      }
    }
  }

  /** Where Jenkins put a queued build: the queue item id when its Location names one, and the Location. */
  public record Queued(Optional<Long> queueItem, String location) {}

  /**
   * Queues a build: {@code build} without parameters, {@code buildWithParameters} with them (as form fields).
   *
   * @param withParameters use {@code buildWithParameters} even when {@code params} is empty, so that a
   *     parameterised job runs with its defaults
   */
  public Queued queue(JobPath path, Map<String, String> params, boolean withParameters) {
    boolean parameterised = withParameters || !params.isEmpty();
    ApiResponse response = post(() -> {
      ApiRequest.Builder request = path.request("POST", parameterised ? "buildWithParameters" : "build");
      params.forEach(request::formField);
      return request;
    });
    String location = response.header("Location").orElse("");
    Matcher m = QUEUE_LOCATION.matcher(location);
    return new Queued(m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty(), location);
  }

  public QueueItem queueItem(long id) {
    return requester.json(ApiRequest.get("queue/item").pathSegment(Long.toString(id))
        .pathSegment("api").pathSegment("json").queryParam("tree", QUEUE_TREE).build(), QueueItem.class);
  }

  public Build build(JobPath path, long number) {
    return requester.json(path.request("GET", Long.toString(number), "api", "json")
        .queryParam("tree", BUILD_TREE).build(), Build.class);
  }

  /**
   * The queue item waiting to build the job at {@code jobUrl} with parameter {@code name} set to {@code value}.
   */
  public Optional<Long> queuedWith(String jobUrl, String name, String value) {
    JenkinsJson.Queue queue = requester.json(ApiRequest.get("queue/api/json").queryParam("tree", QUEUE_ITEMS_TREE)
        .build(), JenkinsJson.Queue.class);
    if (queue.items() == null) {
      return Optional.empty();
    }
    return queue.items().stream()
        .filter(item -> item != null && item.id() != null && item.task() != null
            && sameJob(jobUrl, item.task().url()) && JenkinsJson.hasParameter(item.actions(), name, value))
        .map(JenkinsJson.QueuedTask::id)
        .findFirst();
  }

  /** The most recent of the job's last 50 builds that ran with parameter {@code name} set to {@code value}. */
  public Optional<JenkinsJson.ParameterisedBuild> builtWith(JobPath path, String name, String value) {
    JenkinsJson.RecentBuilds recent = requester.json(path.request("GET", "api", "json")
        .queryParam("tree", RECENT_BUILDS_TREE).build(), JenkinsJson.RecentBuilds.class);
    if (recent.builds() == null) {
      return Optional.empty();
    }
    return recent.builds().stream()
        .filter(b -> b != null && b.number() != null && JenkinsJson.hasParameter(b.actions(), name, value))
        .findFirst();
  }

  /** Whether two job URLs name the same job: Jenkins gives them absolute, with or without the final slash. */
  private static boolean sameJob(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    String x = a.endsWith("/") ? a : a + "/";
    String y = b.endsWith("/") ? b : b + "/";
    return x.equals(y);
  }

  /** Cancels a queue item that has not started; Jenkins answers 204, or a redirect on older versions. */
  public void cancelQueueItem(long id) {
    post(() -> ApiRequest.post("queue/cancelItem").queryParam("id", Long.toString(id)));
  }

  /** Asks Jenkins to abort a build; Jenkins answers with a redirect to the build page. */
  public void stop(JobPath path, long number) {
    post(() -> path.request("POST", Long.toString(number), "stop"));
  }

  /**
   * Posts with the crumb when one is known (or wanted first); when Jenkins answers 403 "No valid crumb",
   * fetches a fresh crumb and posts once more.
   */
  private ApiResponse post(java.util.function.Supplier<ApiRequest.Builder> request) {
    Crumb known = crumb.get();
    if (known == null && crumbFirst) {
      known = fetchCrumb();
    }
    try {
      return requester.execute(withCrumb(request.get(), known));
    } catch (ApiException e) {
      if (e.status() != 403 || !mentionsCrumb(e)) {
        throw e;
      }
      Crumb fresh = fetchCrumb();
      if (fresh == NO_CRUMB) {
        throw e;
      }
      return requester.execute(withCrumb(request.get(), fresh));
    }
  }

  private static boolean mentionsCrumb(ApiException e) {
    return e.getMessage().toLowerCase(Locale.ROOT).contains("crumb");
  }

  private static ApiRequest withCrumb(ApiRequest.Builder request, Crumb crumb) {
    if (crumb != null && crumb != NO_CRUMB && crumb.crumbRequestField() != null && crumb.crumb() != null) {
      request.header(crumb.crumbRequestField(), crumb.crumb());
    }
    return request.build();
  }

  /** Fetches a crumb; {@link #NO_CRUMB} when the issuer answers 404 (CSRF protection is off). */
  private Crumb fetchCrumb() {
    Crumb fetched;
    try {
      fetched = requester.json(ApiRequest.get("crumbIssuer/api/json").build(), Crumb.class);
      if (fetched.crumb() == null || fetched.crumbRequestField() == null) {
        fetched = NO_CRUMB;
      }
    } catch (ApiException e) {
      if (e.status() != 404) {
        throw e;
      }
      fetched = NO_CRUMB;
    }
    crumb.set(fetched);
    return fetched;
  }

  /** {@link #job}, without holding the calling thread; the stage fails with {@link ApiException}. */
  public CompletableFuture<Job> jobAsync(JobPath path) {
    return requester.jsonAsync(path.request("GET", "api", "json").queryParam("tree", JOB_TREE).build(), Job.class);
  }

  /** {@link #queue}, without holding the calling thread. */
  public CompletableFuture<Queued> queueAsync(JobPath path, Map<String, String> params, boolean withParameters) {
    boolean parameterised = withParameters || !params.isEmpty();
    return postAsync(() -> {
      ApiRequest.Builder request = path.request("POST", parameterised ? "buildWithParameters" : "build");
      params.forEach(request::formField);
      return request;
    }).thenApply(response -> {
      String location = response.header("Location").orElse("");
      Matcher m = QUEUE_LOCATION.matcher(location);
      return new Queued(m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty(), location);
    });
  }

  /** {@link #cancelQueueItem}, without holding the calling thread. */
  public CompletableFuture<Void> cancelQueueItemAsync(long id) {
    return postAsync(() -> ApiRequest.post("queue/cancelItem").queryParam("id", Long.toString(id)))
        .thenApply(response -> null);
  }

  /** {@link #stop}, without holding the calling thread. */
  public CompletableFuture<Void> stopAsync(JobPath path, long number) {
    return postAsync(() -> path.request("POST", Long.toString(number), "stop")).thenApply(response -> null);
  }

  /** {@link #post}, without holding the calling thread: the crumb, and the retry with a fresh one, alike. */
  private CompletableFuture<ApiResponse> postAsync(java.util.function.Supplier<ApiRequest.Builder> request) {
    Crumb known = crumb.get();
    CompletableFuture<Crumb> first = known == null && crumbFirst
        ? fetchCrumbAsync() : CompletableFuture.completedFuture(known);
    return first.thenCompose(c -> requester.executeAsync(withCrumb(request.get(), c)))
        .handle((response, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(response);
          }
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (!(cause instanceof ApiException e) || e.status() != 403 || !mentionsCrumb(e)) {
            return CompletableFuture.<ApiResponse>failedFuture(cause);
          }
          return fetchCrumbAsync().thenCompose(fresh -> fresh == NO_CRUMB
              ? CompletableFuture.<ApiResponse>failedFuture(e)
              : requester.executeAsync(withCrumb(request.get(), fresh)));
        })
        .thenCompose(stage -> stage);
  }

  /** {@link #fetchCrumb}, without holding the calling thread. */
  private CompletableFuture<Crumb> fetchCrumbAsync() {
    return requester.jsonAsync(ApiRequest.get("crumbIssuer/api/json").build(), Crumb.class)
        .handle((fetched, failure) -> {
          Crumb result;
          if (failure == null) {
            result = fetched.crumb() == null || fetched.crumbRequestField() == null ? NO_CRUMB : fetched;
          } else {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            if (!(cause instanceof ApiException e) || e.status() != 404) {
              throw failure instanceof CompletionException c ? c : new CompletionException(cause);
            }
            result = NO_CRUMB;
          }
          crumb.set(result);
          return result;
        });
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "JenkinsClient{" + requester + "}";
  }
}
