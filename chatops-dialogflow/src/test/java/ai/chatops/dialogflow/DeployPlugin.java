package ai.chatops.dialogflow;

import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;

/** The test plugin whose training material lives in src/test/resources/chatops/plugins/deploy/. */
public final class DeployPlugin implements Plugin {
  @Override
  public String name() {
    return "deploy";
  }

  @Override
  public Action trigger(Invocation invocation) {
    throw new UnsupportedOperationException("only its training material is used");
  }
}
