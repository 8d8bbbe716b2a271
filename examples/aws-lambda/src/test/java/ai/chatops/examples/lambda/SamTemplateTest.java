package ai.chatops.examples.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.slack.SlackService;
import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses {@code template.yaml} (CloudFormation's short tags {@code !Ref}, {@code !GetAtt}, {@code !Sub} become
 * their long forms) and checks what the handlers rely on: each function's handler exists, the events that
 * reach it, the queue's redrive to the dead-letter queue and its visibility timeout, and every environment
 * variable the code reads ({@link Bot#ENVIRONMENT}). No AWS account is involved.
 */
class SamTemplateTest {
  private static Map<String, Object> template;

  @BeforeAll
  static void parse() throws IOException {
    template = map(new Yaml(new CloudFormationTags()).load(Files.readString(Path.of("template.yaml"))));
  }

  @Test
  void everyVariableTheFunctionsReadIsSetForEveryFunction() {
    Map<String, Object> variables = map(at(template, "Globals", "Function", "Environment", "Variables"));

    assertThat(variables.keySet()).containsAll(Bot.ENVIRONMENT);
    assertThat(variables.get("TABLE_NAME")).isEqualTo(Map.of("Ref", "Table"));
    assertThat(variables.get("QUEUE_URL")).isEqualTo(Map.of("Ref", "EventQueue"));
    for (String secret : List.of("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "JENKINS_API_TOKEN")) {
      Object parameter = map(variables.get(secret)).get("Ref");
      assertThat(map(at(template, "Parameters", (String) parameter))).as(secret).containsEntry("NoEcho", true);
    }
  }

  @Test
  void eachFunctionsHandlerIsAClassWithAHandleRequestMethod() throws Exception {
    for (String function : List.of("AckFunction", "WorkerFunction", "AlarmFunction")) {
      Map<String, Object> resource = resource(function);
      assertThat(resource).containsEntry("Type", "AWS::Serverless::Function");
      String[] handler = ((String) at(resource, "Properties", "Handler")).split("::");
      Class<?> type = Class.forName(handler[0], false, getClass().getClassLoader());
      List<Method> methods = Arrays.stream(type.getMethods())
          .filter(m -> m.getName().equals(handler[1]) && m.getParameterCount() == 2
              && m.getParameterTypes()[1] == Context.class)
          .toList();
      assertThat(methods).as(function + " " + handler[0]).isNotEmpty();
    }
  }

  @Test
  void theAckFunctionReceivesSlackAndHooksThroughTheHttpApi() {
    Map<String, Object> events = map(at(resource("AckFunction"), "Properties", "Events"));
    List<String> routes = new ArrayList<>();
    for (Object event : events.values()) {
      assertThat(map(event)).containsEntry("Type", "HttpApi");
      routes.add(at(map(event), "Properties", "Method") + " " + at(map(event), "Properties", "Path"));
    }
    assertThat(routes).contains("POST " + SlackService.builder().signingSecret("x").botToken("xoxb-x").build().path(),
        "POST /v1/hooks/{plugin}");
    assertThat(list(at(resource("AckFunction"), "Properties", "Policies")).toString())
        .contains("SQSSendMessagePolicy").contains("DynamoDBCrudPolicy");
  }

  @Test
  void theWorkerReadsTheQueueReportingBatchItemFailures() {
    Map<String, Object> queue = map(at(resource("WorkerFunction"), "Properties", "Events", "Queue"));
    assertThat(queue).containsEntry("Type", "SQS");
    assertThat(at(queue, "Properties", "Queue")).isEqualTo(Map.of("Fn::GetAtt", "EventQueue.Arn"));
    // SqsWorker reports failed records one by one; without this, one poison message fails its whole batch.
    assertThat(list(at(queue, "Properties", "FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
  }

  @Test
  void theQueueRedrivesToTheDeadLetterQueueAndOutlastsTheWorker() {
    Map<String, Object> properties = map(at(resource("EventQueue"), "Properties"));
    assertThat(at(properties, "RedrivePolicy", "deadLetterTargetArn"))
        .isEqualTo(Map.of("Fn::GetAtt", "DeadLetterQueue.Arn"));
    assertThat((Integer) at(properties, "RedrivePolicy", "maxReceiveCount")).isBetween(2, 10);
    int workerTimeout = (Integer) at(resource("WorkerFunction"), "Properties", "Timeout");
    // Lambda's advice for SQS triggers: a visibility timeout of at least six times the function's timeout.
    assertThat((Integer) properties.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * workerTimeout);
    assertThat(resource("DeadLetterQueue")).containsEntry("Type", "AWS::SQS::Queue");
  }

  @Test
  void theAlarmFunctionIsSubscribedToTheAlarmTopic() {
    Map<String, Object> alarms = map(at(resource("AlarmFunction"), "Properties", "Events", "Alarms"));
    assertThat(alarms).containsEntry("Type", "SNS");
    assertThat(at(alarms, "Properties", "Topic")).isEqualTo(Map.of("Ref", "AlarmTopic"));
    assertThat(resource("AlarmTopic")).containsEntry("Type", "AWS::SNS::Topic");
  }

  // ---- helpers

  private static Map<String, Object> resource(String name) {
    return map(at(template, "Resources", name));
  }

  private static Object at(Map<String, Object> node, String... path) {
    Object current = node;
    for (String step : path) {
      current = map(current).get(step);
      assertThat(current).as("%s in %s", step, String.join(".", path)).isNotNull();
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    assertThat(node).isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node) {
    assertThat(node).isInstanceOf(List.class);
    return (List<Object>) node;
  }

  /** CloudFormation's short-form intrinsic functions, read as their long forms ({@code !Ref X} → {@code Ref: X}). */
  private static final class CloudFormationTags extends SafeConstructor {
    CloudFormationTags() {
      super(new LoaderOptions());
      for (String name : List.of("Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "Not", "And",
          "Or", "FindInMap", "ImportValue", "GetAZs", "Base64", "Cidr")) {
        String key = name.equals("Ref") ? "Ref" : "Fn::" + name;
        yamlConstructors.put(new Tag("!" + name), new AbstractConstruct() {
          @Override
          public Object construct(Node node) {
            Object value = node instanceof ScalarNode ? constructScalar((ScalarNode) node)
                : node instanceof SequenceNode ? constructSequence((SequenceNode) node)
                : constructMapping((org.yaml.snakeyaml.nodes.MappingNode) node);
            return Map.of(key, value);
          }
        });
      }
    }
  }
}
