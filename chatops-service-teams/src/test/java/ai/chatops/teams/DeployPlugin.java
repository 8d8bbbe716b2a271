package ai.chatops.teams;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;

/**
 * A test plugin: {@code deploy start ID=x} asks before it runs, then answers with fields and a link;
 * {@code deploy offer} answers with the plugin's own choices (the second asks for a confirmation) and a link;
 * {@code deploy status} is what the first choice says.
 */
final class DeployPlugin implements Plugin {
  @Override
  public String name() {
    return "deploy";
  }

  @Override
  public Action trigger(Invocation invocation) {
    if (invocation.route().action().equals("offer")) {
      return Action.builder("Deploy 7 is live. What next?")
          .choice("Status", "deploy status")
          .choice("Deploy api", "deploy start ID=api")
          .link("Pipeline", "https://ci.example.com/deploy/7")
          .build();
    }
    if (invocation.route().action().equals("status")) {
      return Action.reply("Deploy 7: all green");
    }
    return Action.builder("Deployed " + invocation.require("ID") + ": SUCCESS")
        .field("Version", "1.2.3")
        .link("Pipeline", "https://ci.example.com/deploy/7")
        .build();
  }
}
