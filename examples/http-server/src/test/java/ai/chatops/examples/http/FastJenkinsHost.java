package ai.chatops.examples.http;

import ai.chatops.jenkins.JenkinsPlugin;
import java.time.Duration;

/** The example host with Jenkins polled every 100 ms, for the crash tests' second JVM. */
final class FastJenkinsHost {
  private FastJenkinsHost() {}

  public static void main(String[] args) throws Exception {
    HttpServerMain.Host host = HttpServerMain.start(System.getenv(), JenkinsPlugin.builder()
        .pollInterval(Duration.ofMillis(100)).maxPollInterval(Duration.ofMillis(200)));
    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "chatops-shutdown"));
  }
}
