package ai.chatops.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.jenkins.JenkinsPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Parses {@code examples/kubernetes} and checks the fields this host relies on: the environment it reads
 * (through {@link Settings}, as the host would), a shared store for several replicas, the port, probes on
 * {@code /healthz}, the Service, the disruption budget and the autoscaler pointing at the Deployment, and the
 * image that the Jib configuration of this module builds. No cluster is involved.
 */
class KubernetesManifestsTest {
  private static final Path MANIFEST = Path.of("..", "kubernetes", "chatops.yaml");
  private static final Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();

  @BeforeAll
  static void parse() throws IOException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    for (Object doc : yaml.loadAll(Files.readString(MANIFEST))) {
      Map<String, Object> resource = map(doc);
      byKind.put((String) resource.get("kind"), resource);
    }
  }

  @Test
  void declaresTheFourResourcesOfAScaledOutHost() {
    assertThat(byKind.keySet())
        .containsExactly("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler");
  }

  @Test
  void theDeploymentRunsSeveralReplicasThatShareADurableStore() {
    Map<String, Object> deployment = byKind.get("Deployment");
    assertThat((Integer) at(deployment, "spec", "replicas")).isGreaterThanOrEqualTo(2);

    Settings settings = Settings.fromEnv(environment());

    // In memory, each replica would have its own journal: a stopped pod's events would never resume.
    assertThat(settings.store()).isInstanceOf(Settings.DynamoDb.class);
    assertThat(settings.bindAddress().isAnyLocalAddress()).as("BIND_ADDRESS: probes come to the pod IP").isTrue();
    assertThat(settings.port()).isEqualTo(containerPort());
  }

  @Test
  void everyVariableIsOneTheHostReadsAndSecretsComeFromSecrets() throws IOException {
    String settingsSource = Files.readString(Path.of("src/main/java/ai/chatops/examples/http/Settings.java"));
    for (Map<String, Object> variable : list(at(container(), "env"))) {
      String name = (String) variable.get("name");
      // Settings reads its own names and the Jenkins plugin's (its constants).
      boolean read = settingsSource.contains("\"" + name + "\"") || List.of(JenkinsPlugin.JENKINS_URL,
          JenkinsPlugin.JENKINS_USER, JenkinsPlugin.JENKINS_API_TOKEN).contains(name);
      assertThat(read).as("%s is read by the host", name).isTrue();
      if (name.contains("SECRET") || name.contains("TOKEN")) {
        assertThat(variable).as(name).doesNotContainKey("value").containsKey("valueFrom");
      }
    }
  }

  @Test
  void probesAskTheHostsHealthCheckOnItsPort() {
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat((String) at(container(), probe, "httpGet", "path")).as(probe).isEqualTo("/healthz");
      assertThat(at(container(), probe, "httpGet", "port")).as(probe).isEqualTo("http");
    }
    assertThat(list(at(container(), "ports")).get(0)).containsEntry("name", "http");
  }

  @Test
  void theServiceTheBudgetAndTheAutoscalerSelectTheDeploymentsPods() {
    Map<String, Object> podLabels = map(at(byKind.get("Deployment"), "spec", "template", "metadata", "labels"));
    assertThat(map(at(byKind.get("Deployment"), "spec", "selector", "matchLabels"))).isEqualTo(podLabels);
    assertThat(map(at(byKind.get("Service"), "spec", "selector"))).isEqualTo(podLabels);
    assertThat(list(at(byKind.get("Service"), "spec", "ports")).get(0)).containsEntry("targetPort", "http");
    assertThat(map(at(byKind.get("PodDisruptionBudget"), "spec", "selector", "matchLabels"))).isEqualTo(podLabels);
    int replicas = (Integer) at(byKind.get("Deployment"), "spec", "replicas");
    assertThat((Integer) at(byKind.get("PodDisruptionBudget"), "spec", "minAvailable")).isLessThan(replicas);
    Map<String, Object> target = map(at(byKind.get("HorizontalPodAutoscaler"), "spec", "scaleTargetRef"));
    assertThat(target).containsEntry("kind", "Deployment")
        .containsEntry("name", at(byKind.get("Deployment"), "metadata", "name"));
    assertThat((Integer) at(byKind.get("HorizontalPodAutoscaler"), "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void podsGetTimeToDrainAndRunAsTheImagesNonRootUser() {
    Map<String, Object> pod = map(at(byKind.get("Deployment"), "spec", "template", "spec"));
    // The router's drain timeout is 10 s; the grace period must cover it and the HTTP server's stop.
    assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(30);
    assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true);
  }

  @Test
  void theImageIsTheOneJibBuildsFromThisModuleOnATemurinJre() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    Element jib = null;
    var plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
        jib = plugin;
      }
    }
    assertThat(jib).as("jib-maven-plugin in examples/http-server/pom.xml").isNotNull();
    Element from = (Element) jib.getElementsByTagName("from").item(0);
    Element to = (Element) jib.getElementsByTagName("to").item(0);
    assertThat(text(from, "image")).startsWith("eclipse-temurin:17");
    String image = text(to, "image").replace("${project.version}", "0.1.0-SNAPSHOT");
    assertThat(at(container(), "image")).isEqualTo(image);
    assertThat(text(jib, "mainClass")).isEqualTo(HttpServerMain.class.getName());
    assertThat(text(jib, "port")).isEqualTo(Integer.toString(containerPort()));
    assertThat(text(jib, "user")).startsWith("65532");
    assertThat(jib.getElementsByTagName("executions").getLength()).as("no image build in the normal build").isZero();
  }

  // ---- helpers

  private static Map<String, Object> container() {
    return list(at(byKind.get("Deployment"), "spec", "template", "spec", "containers")).get(0);
  }

  private static int containerPort() {
    return (Integer) list(at(container(), "ports")).get(0).get("containerPort");
  }

  /** The container's environment as the host would see it, with stand-ins for the values from secrets. */
  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> variable : list(at(container(), "env"))) {
      Object value = variable.get("value");
      String name = (String) variable.get("name");
      env.put(name, value != null ? value.toString() : name.equals("SLACK_BOT_TOKEN") ? "xoxb-stand-in" : "stand-in");
    }
    return env;
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
  private static List<Map<String, Object>> list(Object node) {
    assertThat(node).isInstanceOf(List.class);
    return new ArrayList<>((List<Map<String, Object>>) node);
  }

  private static String text(Element parent, String tag) {
    var nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }
}
