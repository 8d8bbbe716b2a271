package ai.chatops.jenkins.internal;

import ai.chatops.PluginFailedException;
import ai.chatops.http.ApiException;
import ai.chatops.jenkins.internal.JenkinsJson.Build;
import ai.chatops.jenkins.internal.JenkinsJson.BuildSummary;
import ai.chatops.jenkins.internal.JenkinsJson.Job;
import ai.chatops.jenkins.internal.JenkinsJson.QueueItem;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.FollowUp;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The plugin's routes and follow-ups over one connected {@link JenkinsClient}. Every failure the user can act
 * on becomes a {@link PluginFailedException} with a plain message. Thread-safe.
 */
public final class JenkinsActions {
  private static final int MAX_JOB_LINES = 50;
  /**
   * The build parameter that carries a request's {@link Invocation#idempotencyKey()}, passed whenever the job
   * declares it (a string parameter): after a restart the plugin finds the request's queue item or build by it
   * instead of queueing a second build.
   */
  public static final String REQUEST_PARAMETER = "CHATOPS_REQUEST_ID";

  private final JenkinsClient client;
  private final String user;
  private final Settings settings;
  private final Clock clock;

  public JenkinsActions(JenkinsClient client, String user, Settings settings, Clock clock) {
    this.client = client;
    this.user = user;
    this.settings = settings;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- routes

  /** Whether the router may simply call the action again after a restart: it changes nothing in Jenkins. */
  public static boolean idempotent(String action) {
    return action.equals("jobs") || action.equals("status");
  }

  /**
   * Carries out a route whose earlier call may have started before the bot restarted: {@code build} and
   * {@code start} look for the request's queue item, then its build, by {@link #REQUEST_PARAMETER}, and queue
   * only when neither exists; {@code stop} of a given build number stops it again (harmless), and otherwise the
   * user is told what to check.
   */
  public Action recover(Invocation invocation) {
    switch (invocation.action()) {
      case "build":
        return recoverQueue(invocation, true);
      case "start":
        return recoverQueue(invocation, false);
      case "stop":
        if (number(invocation).isPresent()) {
          return stop(invocation);
        }
        Target target = resolve(invocation, false);
        return Action.reply("The bot restarted while asking Jenkins to stop " + target.what() + " (event "
            + invocation.event().id() + "), so I cannot tell which build it stopped, and I did not stop another:"
            + " check " + target.link() + " before asking again.");
      case "jobs":
        return jobs(invocation); // idempotent: a recovery simply asks again
      default:
        return status(invocation);
    }
  }

  private Action recoverQueue(Invocation invocation, boolean follow) {
    Target target = resolve(invocation, true);
    if (!target.job().parameterNames().contains(REQUEST_PARAMETER)) {
      return Action.reply("The bot restarted while asking Jenkins to build " + target.what() + " (event "
          + invocation.event().id() + "), and the job has no " + REQUEST_PARAMETER + " parameter by which I could"
          + " find that build, so I did not queue it again: check " + target.link() + " before asking again.");
    }
    String key = invocation.idempotencyKey();
    // The queue first, then the builds: an item that leaves the queue in between is a build by then.
    Optional<Long> item = call(() -> client.queuedWith(target.link(), REQUEST_PARAMETER, key),
        "looking for the queued build of " + target.what(), "Jenkins has no queue to look in.");
    if (item.isPresent()) {
      return queued(target, item.get(), follow, Map.of());
    }
    Optional<JenkinsJson.ParameterisedBuild> build = call(() -> client.builtWith(target.path(), REQUEST_PARAMETER,
        key), "looking for the build of " + target.what(), "There is no Jenkins job " + target.what() + ".");
    if (build.isEmpty()) {
      return queue(invocation, follow); // the earlier call never reached Jenkins
    }
    long number = build.get().number();
    String what = target.what() + " #" + number;
    Action.Builder reply = Action.builder(what + (Boolean.TRUE.equals(build.get().building()) ? " started: "
        : " ran: ") + orEmpty(build.get().url()));
    if (!follow) {
      return reply.build();
    }
    Instant deadline = clock.instant().plus(settings.followTimeout());
    FollowKey followKey = new FollowKey(FollowKey.Kind.BUILD, number, target.path(), deadline, 0, false);
    return reply.followUp(new FollowUp(followKey.encode(), what, settings.pollInterval(), settings.followTimeout()))
        .build();
  }

  /** Queues job ID and follows the build to its result. */
  public Action build(Invocation invocation) {
    return queue(invocation, true);
  }

  /** Queues job ID and posts its link, without following it. */
  public Action start(Invocation invocation) {
    return queue(invocation, false);
  }

  /**
   * {@link #build}, its calls to Jenkins sent without holding the calling thread: the stage completes on an
   * HTTP client thread, failing with a {@link PluginFailedException} for the user.
   */
  public CompletableFuture<Action> buildAsync(Invocation invocation) {
    return queue(invocation, true, true);
  }

  /** {@link #start}, its calls to Jenkins sent without holding the calling thread. */
  public CompletableFuture<Action> startAsync(Invocation invocation) {
    return queue(invocation, false, true);
  }

    /** A job, or a multibranch project's branch job, with how to name it in replies. */
  private record Target(JobPath path, Job job, String what, boolean onBranch) {
    String link() {
      return job.url() != null ? job.url() : "";
    }
  }

  /**
   * Looks the job up; for a multibranch project BRANCH selects the branch job.
   *
   * @param branchAsParameter whether BRANCH may be a build parameter of a plain job (build and start)
   */
  private Target resolve(Invocation invocation, boolean branchAsParameter) {
    return await(resolve(invocation, branchAsParameter, false));
  }

  /** {@link #resolve(Invocation, boolean)}, its lookups sent asynchronously when {@code async}. */
  private CompletableFuture<Target> resolve(Invocation invocation, boolean branchAsParameter, boolean async) {
    JobPath path = JobPath.parse(invocation.require("ID"));
    Optional<String> branch = attribute(invocation, "BRANCH");
    return calling(job(path, async), "looking up job " + path,
        "There is no Jenkins job " + path + ". Say `jenkins jobs` to see the jobs.").thenCompose(job -> {
          if (job.isMultibranch()) {
            List<String> branches = names(job.children());
            if (branch.isEmpty()) {
              throw new PluginFailedException(path + " is a multibranch pipeline: say which branch, such as BRANCH="
                  + (branches.isEmpty() ? "main" : branches.get(0)) + ". Its branches: " + Texts.some(branches, 10)
                  + ".");
            }
            JobPath branchPath = path.branch(branch.get());
            return calling(job(branchPath, async), "looking up branch " + branch.get() + " of " + path,
                path + " has no branch " + branch.get() + ". Its branches: " + Texts.some(branches, 10) + ".")
                .thenApply(branchJob -> new Target(branchPath, branchJob, path + " on " + branch.get(), true));
          }
          if (job.isContainer()) {
            throw new PluginFailedException(path + " is a folder, not a job. Its jobs: "
                + Texts.some(names(job.children()), 10) + ".");
          }
          if (branch.isPresent() && !branchAsParameter) {
            throw new PluginFailedException("BRANCH selects a branch of a multibranch pipeline, and " + path
                + " is not one; give the build NUMBER instead.");
          }
          return CompletableFuture.completedFuture(
              new Target(path, job, branch.map(b -> path + " on " + b).orElse(path.toString()), false));
        });
  }

  private CompletableFuture<Job> job(JobPath path, boolean async) {
    return async ? client.jobAsync(path) : now(() -> client.job(path));
  }

  private Action queue(Invocation invocation, boolean follow) {
    return await(queue(invocation, follow, false));
  }

  /** Queues job ID; its calls to Jenkins sent asynchronously when {@code async}. */
  private CompletableFuture<Action> queue(Invocation invocation, boolean follow, boolean async) {
    return resolve(invocation, true, async).thenCompose(target -> queue(invocation, target, follow, async));
  }

  private CompletableFuture<Action> queue(Invocation invocation, Target target, boolean follow, boolean async) {
    Job job = target.job();
    Map<String, String> params = new LinkedHashMap<>(JobParams.parse(attribute(invocation, "JOB_PARAM").orElse(null)));
    List<String> declared = job.parameterNames();
    Optional<String> branch = attribute(invocation, "BRANCH");
    if (branch.isPresent() && !target.onBranch()) {
      // A plain job: BRANCH is passed on as its BRANCH parameter.
      if (!declared.contains("BRANCH")) {
        throw new PluginFailedException(target.path() + " is not a multibranch pipeline and has no BRANCH parameter"
            + (declared.isEmpty() ? " (it takes no parameters)." : "; its parameters: " + String.join(", ", declared) + "."));
      }
      params.putIfAbsent("BRANCH", branch.get());
    }
    for (String name : params.keySet()) {
      if (!declared.contains(name)) {
        throw new PluginFailedException(target.what() + (declared.isEmpty()
            ? " takes no parameters, so " + name + " cannot be given."
            : " has no parameter " + name + "; its parameters: " + String.join(", ", declared) + "."));
      }
    }
    if (Boolean.FALSE.equals(job.buildable())) {
      throw new PluginFailedException(target.what() + " is disabled in Jenkins, so it cannot be built.");
    }
    Map<String, String> sent = new LinkedHashMap<>(params);
    if (declared.contains(REQUEST_PARAMETER)) {
      sent.put(REQUEST_PARAMETER, invocation.idempotencyKey());
      params.remove(REQUEST_PARAMETER); // not the user's to set, and not worth showing
    }
    CompletableFuture<JenkinsClient.Queued> sending = async
        ? client.queueAsync(target.path(), sent, !declared.isEmpty())
        : now(() -> client.queue(target.path(), sent, !declared.isEmpty()));
    return calling(sending, "queueing " + target.what(), "Jenkins has no job " + target.what() + " to build.")
        .thenApply(queued -> {
          if (queued.queueItem().isEmpty()) {
            return Action.builder("Queued " + target.what() + ", but Jenkins did not say which queue item, so I"
                + " cannot follow it: " + target.link()).build();
          }
          return queued(target, queued.queueItem().get(), follow, params);
        });
  }

  /** The reply for a build waiting in the queue as item {@code item}, following it for {@code build}. */
  private Action queued(Target target, long item, boolean follow, Map<String, String> params) {
    Action.Builder reply;
    if (!follow) {
      reply = Action.builder("Queued " + target.what() + " (queue item #" + item + "): " + target.link());
    } else {
      reply = Action.builder("Queued " + target.what() + " (queue item #" + item
          + "); I will post the build link when it starts.");
      Instant deadline = clock.instant().plus(settings.followTimeout());
      FollowKey key = new FollowKey(FollowKey.Kind.QUEUE, item, target.path(), deadline, 0, false);
      reply.followUp(new FollowUp(key.encode(), target.what(), settings.pollInterval(), settings.followTimeout()));
    }
    if (!params.isEmpty()) {
      List<String> shown = new ArrayList<>();
      params.forEach((k, v) -> shown.add(k + "=" + v));
      reply.field("Parameters", String.join(" ", shown));
    }
    return reply.build();
  }

  public Action stop(Invocation invocation) {
    return await(stop(invocation, false));
  }

  /** {@link #stop}, its calls to Jenkins sent without holding the calling thread. */
  public CompletableFuture<Action> stopAsync(Invocation invocation) {
    return stop(invocation, true);
  }

  private CompletableFuture<Action> stop(Invocation invocation, boolean async) {
    return resolve(invocation, false, async).thenCompose(target -> {
      Optional<Long> number = number(invocation);
      long toStop;
      if (number.isPresent()) {
        toStop = number.get();
      } else {
        List<BuildSummary> running = target.job().builds() == null ? List.of()
            : target.job().builds().stream().filter(BuildSummary::isBuilding).toList();
        QueueItem waiting = target.job().queueItem();
        if (running.isEmpty() && waiting != null && waiting.id() != null) {
          CompletableFuture<Void> cancelling = async ? client.cancelQueueItemAsync(waiting.id())
              : now(() -> {
                client.cancelQueueItem(waiting.id());
                return null;
              });
          return calling(cancelling, "cancelling queue item #" + waiting.id() + " of " + target.what(),
              "Queue item #" + waiting.id() + " of " + target.what() + " has left the queue; say stop again to"
                  + " abort its build.")
              .thenApply(done -> Action.reply("Cancelled the queued build of " + target.what() + " (queue item #"
                  + waiting.id() + "): it had not started."));
        }
        if (running.isEmpty()) {
          return CompletableFuture.completedFuture(Action.reply(target.what() + " has no running build."));
        }
        if (running.size() > 1) {
          List<String> numbers = running.stream().map(b -> "#" + b.number()).toList();
          throw new PluginFailedException(target.what() + " has " + running.size() + " running builds ("
              + String.join(", ", numbers) + "); say which one with NUMBER=" + running.get(0).number() + ".");
        }
        toStop = running.get(0).number();
      }
      CompletableFuture<Void> stopping = async ? client.stopAsync(target.path(), toStop)
          : now(() -> {
            client.stop(target.path(), toStop);
            return null;
          });
      return calling(stopping, "stopping " + target.what() + " #" + toStop,
          target.what() + " has no build #" + toStop + ".")
          .thenApply(done -> Action.reply("Asked Jenkins to abort " + target.what() + " #" + toStop + "."));
    });
  }

  public Action status(Invocation invocation) {
    Target target = resolve(invocation, false);
    Optional<Long> number = number(invocation);
    Build build;
    if (number.isPresent()) {
      build = call(() -> client.build(target.path(), number.get()), "reading " + target.what() + " #" + number.get(),
          target.what() + " has no build #" + number.get() + ".");
    } else {
      build = target.job().lastBuild();
      if (build == null || build.number() == null) {
        return Action.reply(target.what() + " has never been built.");
      }
    }
    if (build.isBuilding()) {
      Action.Builder reply = Action.builder(target.what() + " #" + build.number() + " is running.");
      if (build.timestamp() != null) {
        reply.field("Running for", Texts.duration(Duration.between(Instant.ofEpochMilli(build.timestamp()), clock.instant())));
      }
      return reply.field("Link", orEmpty(build.url())).build();
    }
    return finished(target.what() + " #" + build.number(), build);
  }

  public Action jobs(Invocation invocation) {
    Optional<JobPath> folder = attribute(invocation, "ID").map(JobPath::parse);
    List<Job> jobs = call(() -> client.jobs(folder), "listing jobs",
        "There is no Jenkins folder " + folder.map(JobPath::toString).orElse("") + ".");
    List<String> lines = new ArrayList<>();
    collect(jobs, folder.map(f -> f + "/").orElse(""), false, lines);
    if (lines.isEmpty()) {
      return Action.reply(folder.map(f -> "Folder " + f + " holds no jobs.").orElse("Jenkins has no jobs."));
    }
    StringBuilder text = new StringBuilder(folder.map(f -> "Jobs in " + f).orElse("Jenkins jobs"))
        .append(" (").append(lines.size()).append("):");
    lines.stream().limit(MAX_JOB_LINES).forEach(line -> text.append('\n').append(line));
    if (lines.size() > MAX_JOB_LINES) {
      text.append("\n... and ").append(lines.size() - MAX_JOB_LINES)
          .append(" more; narrow the list with ID=<folder>.");
    }
    return Action.reply(text.toString());
  }

  private static void collect(List<Job> jobs, String prefix, boolean branches, List<String> lines) {
    for (Job job : jobs) {
      String name = branches ? JobPath.decodeName(orEmpty(job.name())) : orEmpty(job.name());
      if (job.color() == null && (job.jobs() != null || job.type() == null || job.isMultibranch()
          || job.type().contains("Folder"))) {
        if (job.jobs() == null) {
          lines.add(prefix + name + "/ (folder: list it with ID=" + prefix + name + ")");
        } else {
          collect(job.jobs(), prefix + name + "/", job.isMultibranch(), lines);
        }
        continue;
      }
      lines.add(prefix + name + ": " + States.ofColour(job.color()).describe());
    }
  }

  // ---------------------------------------------------------------- following

  /**
   * Checks once on a queue item or build. Empty while the build runs, or while the item is in its quiet
   * period, and nothing changed; {@link Action#keepFollowing} with a longer interval while the item waits
   * for another reason or Jenkins fails (the count of failures travels in the key); a message when there is
   * something to tell.
   */
  public Optional<Action> poll(FollowUp followUp) {
    Optional<FollowKey> decoded = FollowKey.decode(followUp.key());
    if (decoded.isEmpty()) {
      return Optional.of(Action.reply("I cannot follow " + followUp.description()
          + ": its follow-up key is not one the jenkins plugin wrote."));
    }
    FollowKey key = decoded.get();
    String what = followUp.description();
    try {
      return key.kind() == FollowKey.Kind.QUEUE
          ? pollQueue(key, followUp, what)
          : pollBuild(key, followUp, what);
    } catch (ApiException e) {
      return pollFailed(e, key, followUp, what);
    }
  }

  private Optional<Action> pollQueue(FollowKey key, FollowUp followUp, String what) {
    QueueItem item = client.queueItem(key.id());
    if (item.isCancelled()) {
      return Optional.of(Action.reply("The queued build of " + what + " (queue item #" + key.id()
          + ") was cancelled in Jenkins."));
    }
    if (item.executable() != null && item.executable().number() != null) {
      long number = item.executable().number();
      String link = orEmpty(item.executable().url());
      return Optional.of(next(Action.builder(what + " #" + number + " started: " + link),
          key.next(FollowKey.Kind.BUILD, number, false), what + " #" + number, settings.longer(followUp.interval()),
          what + " #" + number));
    }
    String why = item.why();
    boolean quietPeriod = why != null && why.startsWith("In the quiet period");
    if (quietPeriod) {
      // It starts within seconds: keep the interval.
      return unchanged(key, followUp);
    }
    boolean worthTelling = item.isBlocked() || Boolean.TRUE.equals(item.stuck()) || why != null;
    if (!key.toldWhy() && worthTelling) {
      String reason = why != null ? why : item.isBlocked() ? "it is blocked" : "it is stuck";
      return Optional.of(next(Action.builder(what + " is waiting in the queue: " + reason),
          key.next(FollowKey.Kind.QUEUE, key.id(), true), what, settings.longer(followUp.interval()), what));
    }
    // Waiting for an executor or behind another build, already told: check less and less often, silently.
    Duration longer = settings.longer(followUp.interval());
    if (longer.equals(followUp.interval())) {
      return unchanged(key, followUp);
    }
    return keepFollowing(key.withFailures(0), followUp, longer);
  }

  private Optional<Action> pollBuild(FollowKey key, FollowUp followUp, String what) {
    Build build = client.build(key.job(), key.id());
    if (build.isBuilding()) {
      return unchanged(key, followUp);
    }
    return Optional.of(finished(what, build));
  }

  /** Nothing to say: the same follow-up, or, after failed polls, one whose count of failures is back at 0. */
  private Optional<Action> unchanged(FollowKey key, FollowUp followUp) {
    return key.failures() == 0 ? Optional.empty() : keepFollowing(key.withFailures(0), followUp, followUp.interval());
  }

  private Optional<Action> pollFailed(ApiException e, FollowKey key, FollowUp followUp, String what) {
    String watched = key.kind() == FollowKey.Kind.QUEUE ? "queue item #" + key.id() + " of " + what : what;
    if (e.status() == 404) {
      return Optional.of(Action.reply(key.kind() == FollowKey.Kind.QUEUE
          ? "Jenkins no longer knows queue item #" + key.id() + " of " + what
              + " (it forgets items a few minutes after they leave the queue); I stopped following it."
          : what + " no longer exists in Jenkins (deleted?); I stopped following it."));
    }
    if (e.status() == 401 || e.status() == 403) {
      return Optional.of(Action.reply("Jenkins refused to show " + watched + " (" + Texts.problem(e)
          + "); I stopped following it. Check the credentials of " + user + "."));
    }
    int count = key.failures() + 1;
    Duration slower = settings.longer(followUp.interval());
    if (count != settings.failuresBeforeNotice()) {
      // Before the notice, and after it while Jenkins stays down: back off without a word.
      return keepFollowing(key.withFailures(count), followUp, slower);
    }
    return Optional.of(next(Action.builder("Jenkins is not answering while I follow " + watched + " (" + count
            + " times in a row; last: " + plainProblem(e) + "). I keep trying every " + Texts.duration(slower) + "."),
        key.withFailures(count), followUp.description(), slower, what));
  }

  /** Follows on silently with a new key and interval, or says that following ends when the deadline passed. */
  private Optional<Action> keepFollowing(FollowKey key, FollowUp followUp, Duration interval) {
    Duration left = Duration.between(clock.instant(), key.deadline());
    if (left.compareTo(Duration.ofSeconds(1)) < 0) {
      return Optional.of(Action.reply("I stopped following " + followUp.description() + ": it did not finish within "
          + Texts.duration(settings.followTimeout()) + "."));
    }
    return Optional.of(Action.keepFollowing(new FollowUp(key.encode(), followUp.description(), interval, left)));
  }

  /** The action with the next follow-up, or a closing message when the follow deadline has passed. */
  private Action next(Action.Builder action, FollowKey key, String description, Duration interval, String what) {
    Duration left = Duration.between(clock.instant(), key.deadline());
    if (left.compareTo(Duration.ofSeconds(1)) < 0) {
      return action.field("Following", "stopped: " + what + " did not finish within "
          + Texts.duration(settings.followTimeout())).build();
    }
    return action.followUp(new FollowUp(key.encode(), description, interval, left)).build();
  }

  /** The reply for a finished build: universal state, Jenkins result, duration, link. */
  private Action finished(String what, Build build) {
    String previous = build.previousBuild() == null ? null : build.previousBuild().result();
    Status.State state = States.ofResult(build.result(), previous);
    Action.Builder reply = Action.builder(what + ": " + state);
    String result = orEmpty(build.result()).isEmpty() ? "none" : build.result();
    if (build.previousBuild() != null && build.previousBuild().number() != null && previous != null) {
      result += " (previous #" + build.previousBuild().number() + ": " + previous + ")";
    }
    reply.field("Result", result);
    if (build.duration() != null) {
      reply.field("Duration", Texts.duration(Duration.ofMillis(build.duration())));
    }
    return reply.field("Link", orEmpty(build.url())).build();
  }

  // ---------------------------------------------------------------- health

  /** Reachability, authentication and version. */
  public Status healthCheck() {
    try {
      JenkinsClient.Identity identity = client.whoAmI();
      String version = identity.version().map(v -> "Jenkins " + v).orElse("Jenkins (version not given)");
      if (identity.who() == null || Boolean.TRUE.equals(identity.who().anonymous())
          || !Boolean.TRUE.equals(identity.who().authenticated())) {
        return Status.of("jenkins", Status.State.ERROR, version + " at " + client.baseUrl()
            + " treats the requests as anonymous: check JENKINS_USER and JENKINS_API_TOKEN");
      }
      return Status.of("jenkins", Status.State.PASSED,
          version + " at " + client.baseUrl() + ", signed in as " + identity.who().name());
    } catch (ApiException e) {
      String detail = e.status() == 401 || e.status() == 403
          ? "authentication failed for " + user + " at " + client.baseUrl() + " (" + Texts.problem(e) + ")"
          : e.status() == 0
              ? "unreachable at " + client.baseUrl() + " (" + Texts.problem(e) + ")"
              : "unhealthy at " + client.baseUrl() + " (" + Texts.problem(e) + ")";
      return Status.of("jenkins", Status.State.ERROR, detail);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The outcome of {@code body} as a completed stage: its value, or the exception it threw. */
  private static <T> CompletableFuture<T> now(Supplier<T> body) {
    try {
      return CompletableFuture.completedFuture(body.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The stage of a call, Jenkins' failures turned into messages for the user as {@link #call} does. */
  private <T> CompletableFuture<T> calling(CompletableFuture<T> stage, String doing, String notFound) {
    return stage.handle((value, failure) -> {
      if (failure == null) {
        return value;
      }
      Throwable cause = unwrap(failure);
      if (cause instanceof ApiException e) {
        throw new PluginFailedException(describe(e, doing, notFound), e);
      }
      throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
    });
  }

  /** Waits for a stage on the calling thread, throwing what failed it as it was thrown. */
  private static <T> T await(CompletableFuture<T> stage) {
    try {
      return stage.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Runs a call, turning Jenkins' failures into messages for the user; {@code notFound} is said for a 404. */
  private <T> T call(Supplier<T> body, String doing, String notFound) {
    try {
      return body.get();
    } catch (ApiException e) {
      throw new PluginFailedException(describe(e, doing, notFound), e);
    }
  }

  private String describe(ApiException e, String doing, String notFound) {
    int status = e.status();
    if (status == 404) {
      return notFound;
    }
    if (status == 401) {
      return "Jenkins refused the credentials of " + user + " while " + doing
          + " (401 Unauthorized): check JENKINS_USER and JENKINS_API_TOKEN.";
    }
    if (status == 403) {
      return "Jenkins user " + user + " is not allowed to do that (" + doing + ": 403 Forbidden).";
    }
    return "While " + doing + ", Jenkins " + plainProblem(e) + ". Try again later.";
  }

  /** A failure as a phrase: "at URL did not answer (...)", "failed (500 ...)", "at URL answered with ...". */
  private String plainProblem(ApiException e) {
    int status = e.status();
    if (status == 0) {
      return "at " + client.baseUrl() + " did not answer (" + Texts.problem(e) + ")";
    }
    if (status >= 200 && status < 300) {
      return "at " + client.baseUrl() + " answered with something that is not JSON (an HTML page?"
          + " check that JENKINS_URL is Jenkins' root URL)";
    }
    return "failed (" + Texts.problem(e) + ")";
  }

  private static Optional<String> attribute(Invocation invocation, String name) {
    return invocation.attribute(name).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static Optional<Long> number(Invocation invocation) {
    Optional<String> text = attribute(invocation, "NUMBER").map(n -> n.startsWith("#") ? n.substring(1) : n);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(text.get());
      if (n > 0) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // told below
    }
    throw new PluginFailedException("NUMBER should be a build number such as 42, but was '" + text.get() + "'.");
  }

  private static List<String> names(List<Job> jobs) {
    return jobs.stream().map(j -> JobPath.decodeName(orEmpty(j.name()))).toList();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
