package ai.chatops.examples.http;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;

/** A test plugin, discovered from the test classpath: {@code deploy start ID=x} asks before it runs. */
public final class DeployPlugin implements Plugin {
  @Override
  public String name() {
    return "deploy";
  }

  @Override
  public Action trigger(Invocation invocation) {
    return Action.reply("Deployed " + invocation.require("ID") + ": SUCCESS");
  }
}
