package ai.chatops.examples.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A stand-in Jenkins with state, for the crash and load tests: parameterised freestyle jobs that declare
 * CHATOPS_REQUEST_ID, a queue whose items start a build when they are first looked at, builds that have finished
 * with SUCCESS by their second look, and a count of every build queued. It can hold chosen requests (a job's first
 * lookup, its first queue POST) until {@link #release}, so that a test kills the host while the plugin waits on
 * Jenkins, and it can answer every request after a delay (a slow Jenkins). Thread-safe.
 */
final class StandInJenkins extends Dispatcher {
  private static final Pattern JOB = Pattern.compile("/jenkins/job/([^/]+)/(api/json|buildWithParameters|(\\d+)/api/json)");
  private static final Pattern ITEM = Pattern.compile("/jenkins/queue/item/(\\d+)/api/json");

  /** A queue item: the job, the request id it carries, and the build it became (0: still waiting). */
  private static final class Item {
    final long id;
    final String job;
    final String requestId;
    volatile long build;

    Item(long id, String job, String requestId) {
      this.id = id;
      this.job = job;
      this.requestId = requestId;
    }
  }

  private final String root;
  private final Map<Long, Item> items = new ConcurrentHashMap<>();
  private final AtomicInteger nextItem = new AtomicInteger(100);
  private final Map<String, AtomicInteger> buildLooks = new ConcurrentHashMap<>();
  private final Set<String> holdLookup = ConcurrentHashMap.newKeySet();
  private final Set<String> holdPost = ConcurrentHashMap.newKeySet();
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger held = new AtomicInteger();
  private volatile long delayMillis;
  private volatile boolean queueHeld;
  private final AtomicInteger itemLooks = new AtomicInteger();

  /** @param root Jenkins' root URL as the host is told it, ending in {@code /jenkins/} */
  StandInJenkins(String root) {
    this.root = root;
  }

  /** Holds the first lookup of {@code job}: the host is killed before it posts anything. */
  StandInJenkins holdFirstLookupOf(String job) {
    holdLookup.add(job);
    return this;
  }

  /** Holds the first queue POST of {@code job} after counting its build: Jenkins got it, the host never hears. */
  StandInJenkins holdFirstPostOf(String job) {
    holdPost.add(job);
    return this;
  }

  /** Keeps every queue item waiting for an executor (or lets them start again). */
  StandInJenkins queueHeld(boolean held) {
    this.queueHeld = held;
    return this;
  }

  /** How many times a queue item was looked at. */
  int itemLooks() {
    return itemLooks.get();
  }

  /** Answers every request after {@code millis}. */
  StandInJenkins slow(long millis) {
    this.delayMillis = millis;
    return this;
  }

  /** How many requests are held now. */
  int held() {
    return held.get();
  }

  /** Lets every held request answer (to a host that is gone). */
  void release() {
    released.countDown();
  }

  /** The builds queued, per job. */
  Map<String, Integer> buildsPerJob() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    items.values().forEach(i -> counts.merge(i.job, 1, Integer::sum));
    return counts;
  }

  int builds() {
    return items.size();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    MockResponse response = answer(request);
    long delay = delayMillis;
    return delay == 0 ? response : response.newBuilder().headersDelay(delay, TimeUnit.MILLISECONDS).build();
  }

  private MockResponse answer(RecordedRequest request) throws InterruptedException {
    String path = request.getUrl().encodedPath();
    if (path.equals("/jenkins/crumbIssuer/api/json")) {
      return new MockResponse.Builder().code(404).build();
    }
    if (path.equals("/jenkins/whoAmI/api/json")) {
      return json("{'name':'chatops-bot','authenticated':true,'anonymous':false}");
    }
    if (path.equals("/jenkins/queue/api/json")) {
      List<String> waiting = new ArrayList<>();
      for (Item item : items.values()) {
        if (item.build == 0) {
          waiting.add("{'id':" + item.id + ",'task':{'name':'" + item.job + "','url':'" + jobUrl(item.job) + "'},"
              + "'actions':[{'parameters':[{'name':'CHATOPS_REQUEST_ID','value':'" + item.requestId + "'}]}]}");
        }
      }
      return json("{'items':[" + String.join(",", waiting) + "]}");
    }
    Matcher item = ITEM.matcher(path);
    if (item.matches()) {
      Item found = items.get(Long.parseLong(item.group(1)));
      if (found == null) {
        return new MockResponse.Builder().code(404).build();
      }
      itemLooks.incrementAndGet();
      if (queueHeld && found.build == 0) {
        return json("{'_class':'hudson.model.Queue$BuildableItem','id':" + found.id + ",'buildable':true,"
            + "'why':'Waiting for next available executor'}");
      }
      synchronized (found) {
        if (found.build == 0) {
          found.build = found.id; // the item starts the build of the same number
        }
      }
      return json("{'_class':'hudson.model.Queue$LeftItem','id':" + found.id + ",'executable':{'number':"
          + found.build + ",'url':'" + jobUrl(found.job) + found.build + "/'}}");
    }
    Matcher job = JOB.matcher(path);
    if (!job.matches()) {
      return new MockResponse.Builder().code(404).build();
    }
    String name = job.group(1);
    if (job.group(3) != null) {
      long number = Long.parseLong(job.group(3));
      boolean building = buildLooks.computeIfAbsent(name + "#" + number, k -> new AtomicInteger()).incrementAndGet() < 2;
      return json("{'number':" + number + ",'url':'" + jobUrl(name) + number + "/','building':" + building
          + (building ? "" : ",'result':'SUCCESS','duration':1000") + "}");
    }
    if (job.group(2).equals("buildWithParameters")) {
      String requestId = form(request.getBody().utf8()).getOrDefault("CHATOPS_REQUEST_ID", "");
      long id = nextItem.incrementAndGet();
      items.put(id, new Item(id, name, requestId));
      if (holdPost.remove(name)) {
        hold();
      }
      return new MockResponse.Builder().code(201).addHeader("Location", root + "queue/item/" + id + "/").build();
    }
    if (request.getUrl().queryParameter("tree") != null && request.getUrl().queryParameter("tree").startsWith("builds[")) {
      List<String> builds = new ArrayList<>();
      for (Item i : items.values()) {
        if (i.job.equals(name) && i.build != 0) {
          builds.add("{'number':" + i.build + ",'url':'" + jobUrl(name) + i.build + "/','building':false,"
              + "'actions':[{'parameters':[{'name':'CHATOPS_REQUEST_ID','value':'" + i.requestId + "'}]}]}");
        }
      }
      return json("{'builds':[" + String.join(",", builds) + "]}");
    }
    if (holdLookup.remove(name)) {
      hold();
    }
    return json("{'_class':'hudson.model.FreeStyleProject','name':'" + name + "','url':'" + jobUrl(name) + "',"
        + "'color':'blue','buildable':true,'property':[{'_class':'hudson.model.ParametersDefinitionProperty',"
        + "'parameterDefinitions':[{'name':'CHATOPS_REQUEST_ID'}]}],'builds':[],'lastBuild':null}");
  }

  private void hold() throws InterruptedException {
    held.incrementAndGet();
    released.await(2, TimeUnit.MINUTES);
  }

  private String jobUrl(String job) {
    return root + "job/" + job + "/";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static MockResponse json(String singleQuoted) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(singleQuoted.replace('\'', '"')).build();
  }
}
