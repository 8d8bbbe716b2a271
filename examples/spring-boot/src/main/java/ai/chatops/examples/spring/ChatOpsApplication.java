package ai.chatops.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Slack + Jenkins bot as a Spring Boot application: everything comes from chatops-spring-boot-starter and
 * the {@code CHATOPS_*} environment variables (see application.properties and docs/spring.md).
 *
 * <pre>
 * CHATOPS_SLACK_SIGNING_SECRET=... CHATOPS_SLACK_BOT_TOKEN=xoxb-... \
 * CHATOPS_JENKINS_URL=https://ci.example.com/ CHATOPS_JENKINS_USER=bot CHATOPS_JENKINS_API_TOKEN=... \
 *   java -jar examples/spring-boot/target/chatops-spring-boot.jar
 * </pre>
 */
@SpringBootApplication
public class ChatOpsApplication {
  public static void main(String[] args) {
    SpringApplication.run(ChatOpsApplication.class, args);
  }
}
