package ai.chatops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import ai.chatops.service.ChatEvent;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginRoutesTest {
  private static final PluginRoutes ROUTES = PluginRoutes.builder("deploy")
      .route("release", r -> r
          .description("Deploys a service")
          .required("SERVICE", AttributeType.STRING, "Which service?")
          .optional("ENV", AttributeType.oneOf("env", "production", "staging"))
          .handle(call -> Action.reply("Deploying " + call.require("SERVICE"))))
      .route("scale", r -> r
          .optional("REPLICAS", AttributeType.INTEGER)
          .optional("WAIT", AttributeType.DURATION)
          .confirm()
          .handle(call -> Action.reply(call.integer("REPLICAS").orElse(1L) + " "
              + call.duration("WAIT").orElse(Duration.ZERO))))
      .build();

  private static PluginConfig parse(String yaml) {
    return PluginConfig.parse("deploy", "config.yaml", new StringReader(yaml), ROUTES.routes());
  }

  @Test
  void declaresTypedRoutesNextToTheirHandlers() {
    Route release = ROUTES.routes().get(0);
    assertThat(release.path()).isEqualTo("/v1/deploy/release");
    assertThat(release.attributes()).containsExactly("SERVICE", "ENV");
    assertThat(release.attributeSpec("SERVICE").orElseThrow().required()).isTrue();
    assertThat(release.attributeSpec("ENV").orElseThrow().type().allowedValues()).containsExactly("production", "staging");
    assertThat(ROUTES.routes().get(1).confirm()).isTrue();
    assertThat(ROUTES.entities()).extracting(EntityDefinition::name).containsExactly("env");
  }

  @Test
  void callsTheHandlerOfTheInvokedRouteWithTypedValues() {
    ChatEvent event = ChatEvent.builder("console", "E1").channel("C1").user("U1").text("x").time(java.time.Instant.EPOCH).build();
    Action action = ROUTES.trigger(new Invocation(ROUTES.routes().get(1), Map.of("REPLICAS", "3", "WAIT", "PT1M"),
        event));
    assertThat(action.text()).isEqualTo("3 PT1M");
    assertThatThrownBy(() -> ROUTES.trigger(new Invocation(ROUTES.routes().get(1), Map.of("REPLICAS", "x"), event)))
        .isInstanceOf(ai.chatops.PluginFailedException.class)
        .hasMessage("REPLICAS must be a whole number, such as 42 (not 'x')");
  }

  @Test
  void takesTheRoutesFromCodeWhenTheConfigListsNone() {
    PluginConfig config = parse("Version: 1.0.0\nAccess:\n  scale:\n    allow: {users: [U1]}\n");
    assertThat(config.routes()).isEqualTo(ROUTES.routes());
    assertThat(config.attributes()).containsExactly("SERVICE", "ENV", "REPLICAS", "WAIT");
    assertThat(config.accessRule("/v1/deploy/scale")).isPresent();
  }

  @Test
  void acceptsAConfigThatSaysTheSameAsTheCode() {
    PluginConfig config = parse("Version: 1.0.0\nRoutes:\n  - /v1/deploy/release: Deploys a service\n"
        + "  - /v1/deploy/scale\nAttributes:\n  SERVICE: [release]\n  ENV: [release]\n  REPLICAS: [scale]\n"
        + "  WAIT: [scale]\nConfirm: [scale]\n");
    assertThat(config.routes()).isEqualTo(ROUTES.routes());
  }

  @Test
  void namesEachDifferenceBetweenTheConfigAndTheCode() {
    String head = "Version: 1.0.0\nRoutes:\n  - /v1/deploy/release\n  - /v1/deploy/scale\n";
    assertThatThrownBy(() -> parse("Version: 1.0.0\nRoutes:\n  - /v1/deploy/release\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("config.yaml line 2: Routes: differs from the routes declared in code: /v1/deploy/scale is"
            + " declared in code but not in config.yaml; remove Routes, Attributes and Confirm from config.yaml or"
            + " make them say the same");
    assertThatThrownBy(() -> parse(head + "Attributes:\n  SERVICE: [release]\n  REPLICAS: [scale]\n"
        + "  WAIT: [scale]\nConfirm: [scale]\n"))
        .hasMessageContaining("/v1/deploy/release takes [SERVICE] in config.yaml but [SERVICE, ENV] in code");
    assertThatThrownBy(() -> parse(head + "Attributes:\n  SERVICE: [release]\n  ENV: [release]\n"
        + "  REPLICAS: [scale]\n  WAIT: [scale]\n"))
        .hasMessageContaining("/v1/deploy/scale is not under Confirm in config.yaml but is confirmed in code");
    assertThatThrownBy(() -> parse("Version: 1.0.0\nRoutes:\n  - /v1/deploy/release: Ships\n  - /v1/deploy/scale\n"
        + "Attributes:\n  SERVICE: [release]\n  ENV: [release]\n  REPLICAS: [scale]\n  WAIT: [scale]\n"
        + "Confirm: [scale]\n"))
        .hasMessageContaining("/v1/deploy/release is described as 'Ships' in config.yaml but 'Deploys a service'"
            + " in code");
  }

  @Test
  void refusesAttributesWithoutRoutesInAConfigOfRoutesInCode() {
    assertThatThrownBy(() -> parse("Version: 1.0.0\nAttributes:\n  SERVICE: [release]\n"))
        .hasMessage("config.yaml line 2: Attributes: must not be given without Routes: this plugin declares its"
            + " routes in code; declare Attributes there, or list Routes here too");
  }

  @Test
  void refusesAnIncompleteDeclaration() {
    assertThatThrownBy(() -> PluginRoutes.builder("deploy").route("release", r -> r.description("x")))
        .hasMessage("/v1/deploy/release has no handler; call handle(...) in its declaration");
    assertThatThrownBy(() -> PluginRoutes.builder("deploy")
        .route("a", r -> r.handle(c -> Action.reply("")))
        .route("a", r -> r.handle(c -> Action.reply(""))))
        .hasMessage("/v1/deploy/a is declared twice");
    assertThatThrownBy(() -> PluginRoutes.builder("deploy").route("Release", r -> r.handle(c -> null)))
        .hasMessage("action must be lower case (a-z, 0-9, -; up to 64) but was 'Release'");
    assertThatThrownBy(() -> PluginRoutes.builder("deploy").build())
        .hasMessage("deploy declares no route; add route(action, r -> ...)");
    assertThatThrownBy(() -> PluginRoutes.builder("deploy").route("a", r -> r
        .optional("X", AttributeType.STRING).optional("X", AttributeType.INTEGER).handle(c -> null)))
        .hasMessage("attribute X is declared twice");
  }

  @Test
  void failsLoudlyWhenAHandlerReturnsNull() {
    PluginRoutes nulls = PluginRoutes.builder("deploy").route("a", r -> r.handle(c -> null)).build();
    ChatEvent event = ChatEvent.builder("console", "E1").channel("C1").user("U1").text("x").time(java.time.Instant.EPOCH).build();
    assertThatThrownBy(() -> nulls.trigger(new Invocation(nulls.routes().get(0), Map.of(), event)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("the handler of /v1/deploy/a returned null; return an Action");
  }

  @Test
  void aPluginWithRoutesInCodeNeedsNoSwitch() {
    Plugin plugin = new Plugin() {
      @Override
      public String name() {
        return "deploy";
      }

      @Override
      public Optional<PluginRoutes> routes() {
        return Optional.of(ROUTES);
      }

      @Override
      public PluginConfig config() {
        return parse("Version: 1.0.0\n");
      }
    };
    ChatEvent event = ChatEvent.builder("console", "E1").channel("C1").user("U1").text("x").time(java.time.Instant.EPOCH).build();
    assertThat(plugin.trigger(new Invocation(plugin.config().routes().get(0), Map.of("SERVICE", "web"), event))
        .text()).isEqualTo("Deploying web");
    assertThat(List.of(plugin.config().routes().get(0).attributeSpecs().get(0).question()))
        .containsExactly("Which service?");
  }
}
