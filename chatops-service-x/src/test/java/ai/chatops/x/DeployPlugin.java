package ai.chatops.x;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;

/** A test plugin: {@code deploy start ID=x} asks before it runs, then answers with fields and a link. */
final class DeployPlugin implements Plugin {
  @Override
  public String name() {
    return "deploy";
  }

  @Override
  public Action trigger(Invocation invocation) {
    return Action.builder("Deployed " + invocation.require("ID") + ": SUCCESS")
        .field("Version", "1.2.3")
        .link("Pipeline", "https://ci.example.com/deploy/7")
        .build();
  }
}
