package ai.chatops.jenkins.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The parts of Jenkins' {@code api/json} documents the plugin reads. Jenkins adds fields over time and plugins
 * add more; unknown fields are ignored and every field may be absent (null).
 */
public final class JenkinsJson {
  private JenkinsJson() {}

  /** {@code /crumbIssuer/api/json}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Crumb(String crumb, String crumbRequestField) {}

  /** {@code /whoAmI/api/json}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record WhoAmI(String name, Boolean authenticated, Boolean anonymous) {}

  /** A reference to a build, as in {@code executable}, {@code lastBuild} or {@code previousBuild}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BuildRef(Long number, String url, String result) {}

  /** {@code /queue/item/N/api/json}: waiting (why), blocked, left the queue (executable) or cancelled. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record QueueItem(
      @JsonProperty("_class") String type,
      Long id,
      Boolean blocked,
      Boolean buildable,
      Boolean stuck,
      Boolean cancelled,
      String why,
      BuildRef executable) {
    public boolean isCancelled() {
      return Boolean.TRUE.equals(cancelled);
    }

    public boolean isBlocked() {
      return Boolean.TRUE.equals(blocked);
    }
  }

  /** {@code /job/.../N/api/json}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Build(
      Long number,
      String url,
      Boolean building,
      String result,
      Long duration,
      Long estimatedDuration,
      Long timestamp,
      String fullDisplayName,
      BuildRef previousBuild) {
    public boolean isBuilding() {
      return Boolean.TRUE.equals(building);
    }
  }

  /** One parameter a job declares. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ParameterDefinition(String name) {}

  /** A job property; only {@code ParametersDefinitionProperty} has parameter definitions. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record JobProperty(List<ParameterDefinition> parameterDefinitions) {}

  /** A build in a job's {@code builds} list. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BuildSummary(Long number, String url, Boolean building) {
    public boolean isBuilding() {
      return Boolean.TRUE.equals(building);
    }
  }

  /** A job, folder or multibranch project: {@code /job/.../api/json}, and each entry of {@code jobs}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Job(
      @JsonProperty("_class") String type,
      String name,
      String url,
      String color,
      Boolean buildable,
      List<Job> jobs,
      List<JobProperty> property,
      List<BuildSummary> builds,
      Build lastBuild,
      QueueItem queueItem) {
    /** True for folders, multibranch projects and organisation folders: items holding other jobs. */
    public boolean isContainer() {
      return jobs != null && color == null;
    }

    /** True for a multibranch project, whose children are its branches. */
    public boolean isMultibranch() {
      return type != null && type.contains("MultiBranch");
    }

    public List<Job> children() {
      return jobs == null ? List.of() : jobs;
    }

    /** The names of the parameters the job declares, in order; empty when it takes none. */
    public List<String> parameterNames() {
      if (property == null) {
        return List.of();
      }
      return property.stream()
          .filter(p -> p.parameterDefinitions() != null)
          .flatMap(p -> p.parameterDefinitions().stream())
          .map(ParameterDefinition::name)
          .filter(n -> n != null)
          .toList();
    }
  }

  /** One build parameter's value, as a queue item's or build's {@code actions[parameters[name,value]]} give it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Parameter(String name, Object value) {}

  /** One entry of {@code actions}; only a {@code ParametersAction} has parameters. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ParametersAction(List<Parameter> parameters) {}

  /** Whether {@code actions} hold the parameter {@code name} with the string {@code value}. */
  static boolean hasParameter(List<ParametersAction> actions, String name, String value) {
    return actions != null && actions.stream()
        .filter(a -> a != null && a.parameters() != null)
        .flatMap(a -> a.parameters().stream())
        .anyMatch(p -> p != null && name.equals(p.name()) && value.equals(String.valueOf(p.value())));
  }

  /** The task of a queue item: the job it builds. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Task(String name, String url) {}

  /** One item of {@code /queue/api/json}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record QueuedTask(Long id, Task task, List<ParametersAction> actions) {}

  /** {@code /queue/api/json}: the items waiting in the queue. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Queue(List<QueuedTask> items) {}

  /** A recent build of a job with the parameters it ran with. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ParameterisedBuild(Long number, String url, Boolean building, List<ParametersAction> actions) {}

  /** {@code /job/.../api/json} asked for recent builds with their parameters. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RecentBuilds(List<ParameterisedBuild> builds) {}

  /** The top level {@code /api/json}, listing jobs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Root(List<Job> jobs) {}
}
