package ai.chatops.mcp;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.InetAddress;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An {@link McpServlet} in an embedded Jetty on a loopback port, mapped at {@link McpEndpoint#PATH} with
 * asynchronous support, as the example host serves it; optionally behind a filter a test observes with.
 */
final class ServletHost implements AutoCloseable {
  private final Server jetty;
  private final int port;

  private ServletHost(Server jetty, int port) {
    this.jetty = jetty;
    this.port = port;
  }

  /** Starts {@code servlet}, behind {@code filter} when it is not null. */
  static ServletHost start(McpServlet servlet, Filter filter) throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, McpEndpoint.PATH);
    if (filter != null) {
      FilterHolder filterHolder = new FilterHolder(filter);
      filterHolder.setAsyncSupported(true);
      context.addFilter(filterHolder, McpEndpoint.PATH, EnumSet.of(DispatcherType.REQUEST));
    }
    jetty.setHandler(context);
    jetty.start();
    return new ServletHost(jetty, connector.getLocalPort());
  }

  /** Starts {@code servlet} with no filter. */
  static ServletHost start(McpServlet servlet) throws Exception {
    return start(servlet, null);
  }

  /** The server's base URL, {@code http://127.0.0.1:<port>}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The servlet's address. */
  URI mcp() {
    return URI.create(url() + McpEndpoint.PATH);
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }
}
