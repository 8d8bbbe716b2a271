package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.ConfigurationException;
import ai.chatops.jenkins.JenkinsPlugin;
import ai.chatops.test.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #19 through the example host, for real on loopback: a Slack message understood by a language model
 * (MockWebServer speaking the OpenAI API) queues a Jenkins build; the MCP SDK's client lists and calls
 * {@code jenkins_build}; {@code jenkins_stop} waits for the user's yes in Slack.
 */
class ModelAndMcpHostTest {
  private static final String SECRET = "test-signing-secret";
  private static final String TOKEN = "agent-token-of-u1-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final MockWebServer slack = new MockWebServer();
  private final MockWebServer jenkins = new MockWebServer();
  private final MockWebServer openAi = new MockWebServer();
  private final List<String> jenkinsCalls = new CopyOnWriteArrayList<>();
  private final List<String> slackPosts = new CopyOnWriteArrayList<>();
  private HttpServerMain.Host host;
  private McpSyncClient client;

  @BeforeEach
  void start() throws Exception {
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        slackPosts.add(request.getBody() == null ? "" : request.getBody().utf8());
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
            .body("{\"ok\":true,\"channel\":\"D1\",\"ts\":\"1700000100.000900\"}").build();
      }
    });
    jenkins.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String line = request.getMethod() + " " + request.getUrl().encodedPath();
        jenkinsCalls.add(line);
        return switch (line) {
          case "GET /jenkins/job/api/api/json" -> json("{'_class':'hudson.model.FreeStyleProject','name':'api',"
              + "'color':'blue','buildable':true,'url':'http://ci/job/api/','property':[],'builds':[]}");
          case "POST /jenkins/job/api/build" -> new MockResponse.Builder().code(201)
              .addHeader("Location", jenkins.url("/jenkins/queue/item/77/").toString()).build();
          case "GET /jenkins/queue/item/77/api/json" -> json("{'_class':'hudson.model.Queue$LeftItem','id':77,"
              + "'cancelled':false,'executable':{'number':12,'url':'http://ci/job/api/12/'}}");
          case "GET /jenkins/job/api/12/api/json" -> json("{'number':12,'building':false,'result':'SUCCESS',"
              + "'duration':1000,'url':'http://ci/job/api/12/'}");
          case "POST /jenkins/job/api/12/stop" -> new MockResponse.Builder().code(200).build();
          default -> new MockResponse.Builder().code(404).build();
        };
      }
    });
    slack.start();
    jenkins.start();
    openAi.start();
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("SLACK_SIGNING_SECRET", SECRET);
    env.put("SLACK_BOT_TOKEN", "xoxb-test-token");
    env.put("SLACK_API_URL", slack.url("/api/").toString());
    env.put("JENKINS_URL", jenkins.url("/jenkins/").toString());
    env.put("JENKINS_USER", "chatops-bot");
    env.put("JENKINS_API_TOKEN", "11aa22bb33cc");
    env.put("CHATOPS_NLU", "llm");
    env.put("CHATOPS_LLM_BASE_URL", openAi.url("/v1/").toString());
    env.put("CHATOPS_LLM_API_KEY", "sk-test");
    env.put("CHATOPS_LLM_MODEL", "gpt-test");
    env.put("CHATOPS_MCP_TOKENS", "U1=" + TOKEN);
    env.put("CHATOPS_MCP_APPROVAL_CHANNEL", "U1=T1/D1");
    host = HttpServerMain.start(env, JenkinsPlugin.builder()
        .pollInterval(Duration.ofMillis(20)).maxPollInterval(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    host.close();
    slack.close();
    jenkins.close();
    openAi.close();
  }

  private static MockResponse json(String singleQuoted) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(singleQuoted.replace('\'', '"')).build();
  }

  private void slackMessage(String id, String channel, String text) throws Exception {
    String body = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"" + id + "\",\"authorizations\":"
        + "[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}],\"event\":{\"type\":\"message\","
        + "\"channel_type\":\"im\",\"user\":\"U1\",\"text\":\"" + text + "\",\"ts\":\"1700000001.000100\","
        + "\"channel\":\"" + channel + "\"}}";
    long now = Instant.now().getEpochSecond();
    HttpResponse<String> ack = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + host.port() + "/slack/events"))
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", Long.toString(now))
        .header("X-Slack-Signature", SlackHostTest.sign(SECRET, now, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ack.statusCode()).isEqualTo(200);
  }

  private McpSyncClient client() {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + host.port())
        .endpoint("/mcp")
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
        .build();
    client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    client.initialize();
    return client;
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }

  @Test
  void aSlackMessageUnderstoodByTheModelQueuesTheBuild() throws Exception {
    openAi.enqueue(json("{'id':'chatcmpl-1','object':'chat.completion','created':1700000000,'model':'gpt-test',"
        + "'choices':[{'index':0,'finish_reason':'tool_calls','message':{'role':'assistant','content':null,"
        + "'tool_calls':[{'id':'call_1','type':'function','function':{'name':'jenkins_build',"
        + "'arguments':'{\\'ID\\':\\'api\\'}'}}]}}],"
        + "'usage':{'prompt_tokens':10,'completion_tokens':5,'total_tokens':15}}"));

    slackMessage("EvM1", "D1", "could you kick off the api job please?");

    Wait.until("Jenkins queues the build", Duration.ofSeconds(20),
        () -> jenkinsCalls.contains("POST /jenkins/job/api/build"));
    RecordedRequest asked = openAi.takeRequest(5, TimeUnit.SECONDS);
    JsonNode sent = JSON.readTree(asked.getBody().utf8());
    assertThat(sent.get("tools")).extracting(t -> t.get("function").get("name").asText())
        .contains("jenkins_build", "jenkins_stop");
    assertThat(asked.getBody().utf8()).doesNotContain("11aa22bb33cc").doesNotContain("xoxb-test-token");
  }

  @Test
  void anMcpClientListsAndCallsJenkinsBuildAndJenkinsStopWaitsForAHuman() throws Exception {
    McpSyncClient agent = client();

    assertThat(agent.listTools().tools()).extracting(McpSchema.Tool::name).contains("jenkins_build",
        "jenkins_stop");
    McpSchema.CallToolResult built = agent.callTool(call("jenkins_build", Map.of("ID", "api")));
    assertThat(built.isError()).isFalse();
    assertThat(jenkinsCalls).contains("POST /jenkins/job/api/build");

    McpSchema.CallToolResult pending = agent.callTool(call("jenkins_stop", Map.of("ID", "api", "NUMBER", 12)));
    assertThat(((McpSchema.TextContent) pending.content().get(0)).text()).startsWith("Approval pending: U1");
    Wait.until("the question in Slack", Duration.ofSeconds(10), () -> slackPosts.stream()
        .anyMatch(p -> p.contains("Run jenkins stop ID=api NUMBER=12?")));
    assertThat(jenkinsCalls).doesNotContain("POST /jenkins/job/api/12/stop");

    slackMessage("EvM2", "D1", "yes");

    Wait.until("Jenkins stops the build", Duration.ofSeconds(20), () -> jenkinsCalls.contains(
        "POST /jenkins/job/api/12/stop"));
  }

  @Test
  void theResultOfABuildAnMcpClientQueuedIsPostedToTheUserInSlack() throws Exception {
    McpSchema.CallToolResult built = client().callTool(call("jenkins_build", Map.of("ID", "api")));

    assertThat(built.isError()).isFalse();
    assertThat(((McpSchema.TextContent) built.content().get(0)).text()).contains("posts its result to U1 in chat "
        + "when it ends.");
    Wait.until("the build's result in U1's direct messages", Duration.ofSeconds(20), () -> slackPosts.stream()
        .anyMatch(p -> p.contains("D1") && p.contains("SUCCESS")));
    assertThat(jenkinsCalls).contains("GET /jenkins/queue/item/77/api/json", "GET /jenkins/job/api/12/api/json");
  }

  @Test
  void anMcpCallWithAnUndeclaredAttributeIsAnErrorAndQueuesNothing() throws Exception {
    McpSchema.CallToolResult built = client().callTool(call("jenkins_build", Map.of("ID", "api", "NOPE", "x")));

    assertThat(built.isError()).isTrue();
    assertThat(jenkinsCalls).doesNotContain("POST /jenkins/job/api/build");
  }

  @Test
  void aModelWithoutItsVariablesIsAConfigurationError() {
    Map<String, String> env = new HashMap<>(Map.of("CHATOPS_NLU", "llm"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelWiring.nlu(env, List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("CHATOPS_LLM_BASE_URL is required with CHATOPS_NLU=llm: an OpenAI-compatible base URL such as "
            + "https://api.openai.com/v1/");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelWiring.mcp(
            Map.of("CHATOPS_MCP_TOKENS", "U1=" + TOKEN, "CHATOPS_MCP_APPROVAL_CHANNEL", "C1"), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("CHATOPS_MCP_APPROVAL_CHANNEL must be <workspace>/<channel>");
  }
}
