package ai.chatops.spring;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code gate pass ID=x} waits until the test opens the gate, then answers {@code passed x}. */
final class GatePlugin implements Plugin {
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch open = new CountDownLatch(1);

  @Override
  public String name() {
    return "gate";
  }

  @Override
  public Action trigger(Invocation invocation) {
    entered.countDown();
    try {
      if (!open.await(1, TimeUnit.MINUTES)) {
        throw new PluginFailedException("the gate stayed shut");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PluginFailedException("interrupted");
    }
    return Action.reply("passed " + invocation.require("ID"));
  }
}
