package ai.chatops.examples.http;

import ai.chatops.PluginFailedException;
import ai.chatops.plugin.Action;
import ai.chatops.plugin.Invocation;
import ai.chatops.plugin.Plugin;
import ai.chatops.plugin.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test plugin, discovered from the test classpath, for {@link CrashRecoveryTest}: {@code slow run ID=x}
 * answers {@code done x}. In a host whose environment has {@code CHATOPS_TEST_MARKERS} (a folder) it first
 * writes {@code started-x} there, and with {@code CHATOPS_TEST_BLOCK=true} it then hangs, so that the test can
 * kill the host in the middle of processing. Without those variables it answers at once.
 */
public final class SlowPlugin implements Plugin {
  private final CountDownLatch never = new CountDownLatch(1);

  @Override
  public String name() {
    return "slow";
  }

  /** Answering "done x" changes nothing, so a recovered request may simply run again. */
  @Override
  public boolean idempotent(Route route) {
    return true;
  }

  @Override
  public Action trigger(Invocation invocation) {
    String id = invocation.require("ID");
    String markers = System.getenv("CHATOPS_TEST_MARKERS");
    if (markers != null) {
      try {
        Files.writeString(Path.of(markers).resolve("started-" + id + "-" + ProcessHandle.current().pid()), id);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if ("true".equals(System.getenv("CHATOPS_TEST_BLOCK"))) {
      try {
        // Until the test kills the process (or the router's plugin timeout interrupts this thread).
        never.await(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PluginFailedException("interrupted");
      }
    }
    return Action.reply("done " + id);
  }
}
