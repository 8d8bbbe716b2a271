package ai.chatops.jenkins.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.PluginFailedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobPathAndParamsTest {
  @Test
  void readsFoldersFromSlashesAndFromPastedUrlPaths() {
    assertThat(JobPath.parse("team/api-server").names()).containsExactly("team", "api-server");
    assertThat(JobPath.parse(" /team/api-server/ ").names()).containsExactly("team", "api-server");
    assertThat(JobPath.parse("job/team/job/api-server").names()).containsExactly("team", "api-server");
    assertThat(JobPath.parse("libs.core-2.x").names()).containsExactly("libs.core-2.x");
  }

  @Test
  void encodesBranchJobNamesAsJenkinsNamesThem() {
    JobPath branch = JobPath.parse("team/api-server").branch("release/2.4");

    assertThat(branch.names()).containsExactly("team", "api-server", "release%2F2.4");
    assertThat(branch.request("GET", "api", "json").build().path())
        .isEqualTo("job/team/job/api-server/job/release%252F2.4/api/json");
    assertThat(branch).hasToString("team/api-server/release/2.4");
  }

  @Test
  void refusesNamesJenkinsWouldRefuse() {
    assertThatThrownBy(() -> JobPath.parse("api server"))
        .isInstanceOf(PluginFailedException.class)
        .hasMessage("'api server' is not a Jenkins job name: use the job's full name with folders separated by /,"
            + " such as team/api-server");
    assertThatThrownBy(() -> JobPath.parse("team/../admin")).isInstanceOf(PluginFailedException.class);
    assertThatThrownBy(() -> JobPath.parse(" / ")).hasMessage("Which job? Give its full name, such as ID=team/api-server");
  }

  @Test
  void readsJobParametersSeparatedBySpacesCommasOrSemicolons() {
    assertThat(JobParams.parse("VERSION=1.2 DRY_RUN=true,ENV=staging; MESSAGE=\"hello world\" EMPTY="))
        .containsExactly(Map.entry("VERSION", "1.2"), Map.entry("DRY_RUN", "true"), Map.entry("ENV", "staging"),
            Map.entry("MESSAGE", "hello world"), Map.entry("EMPTY", ""));
    assertThat(JobParams.parse(null)).isEmpty();
  }

  @Test
  void refusesJobParametersThatAreNotPairs() {
    assertThatThrownBy(() -> JobParams.parse("VERSION=1.2 please"))
        .isInstanceOf(PluginFailedException.class)
        .hasMessage("JOB_PARAM should be KEY=value pairs, such as JOB_PARAM=\"VERSION=1.2 DRY_RUN=true\", but"
            + " 'please' is not");
    assertThatThrownBy(() -> JobParams.parse("A=1 A=2")).hasMessage("JOB_PARAM gives A twice");
  }

  @Test
  void writesAndReadsFollowKeys() {
    FollowKey key = new FollowKey(FollowKey.Kind.QUEUE, 7, JobPath.parse("team/api-server").branch("feature/x"),
        Instant.ofEpochSecond(1000), 2, true);

    assertThat(key.encode()).isEqualTo("jenkins|queue|7|team/api-server/feature%2Fx|1000|2|1");
    assertThat(FollowKey.decode(key.encode())).contains(key);
    assertThat(FollowKey.decode("queue:7")).isEmpty();
    assertThat(FollowKey.decode("jenkins|build|x|a|1|0|0")).isEmpty();
    assertThat(List.of(FollowKey.Kind.values())).hasSize(2);
  }
}
