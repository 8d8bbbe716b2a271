package ai.chatops.examples.http;

import ai.chatops.ConfigurationException;
import ai.chatops.jenkins.JenkinsPlugin;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's settings, read from environment variables; every problem names its variable.
 *
 * @param port PORT, 3000 by default (0 picks a free port)
 * @param bindAddress BIND_ADDRESS, 127.0.0.1 by default
 * @param signingSecret SLACK_SIGNING_SECRET, required unless Socket Mode is on
 * @param botToken SLACK_BOT_TOKEN, required, {@code xoxb-...}
 * @param apiUrl SLACK_API_URL, https://slack.com/api/ by default
 * @param appToken SLACK_APP_TOKEN, {@code xapp-...}: Socket Mode instead of HTTP when set, else empty
 * @param jenkins JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN, those that are set (the Jenkins plugin names
 *     the missing ones when it is used)
 */
record Settings(int port, InetAddress bindAddress, String signingSecret, String botToken, String apiUrl,
    String appToken, Map<String, String> jenkins) {
  static final List<String> JENKINS_KEYS =
      List.of(JenkinsPlugin.JENKINS_URL, JenkinsPlugin.JENKINS_USER, JenkinsPlugin.JENKINS_API_TOKEN);

  static Settings fromEnv(Map<String, String> env) {
    int port = port(env.getOrDefault("PORT", "").trim());
    String bind = env.getOrDefault("BIND_ADDRESS", "").trim();
    InetAddress address;
    try {
      address = InetAddress.getByName(bind.isEmpty() ? "127.0.0.1" : bind);
    } catch (UnknownHostException e) {
      throw new ConfigurationException("BIND_ADDRESS must be an IP address or host name of this machine but was '"
          + bind + "'");
    }
    String appToken = env.getOrDefault("SLACK_APP_TOKEN", "").trim();
    if (!appToken.isEmpty() && !appToken.startsWith("xapp-")) {
      throw new ConfigurationException("SLACK_APP_TOKEN must be an app-level token starting with xapp- "
          + "(Basic Information > App-Level Tokens)");
    }
    String secret = env.getOrDefault("SLACK_SIGNING_SECRET", "").trim();
    if (secret.isEmpty() && appToken.isEmpty()) {
      throw new ConfigurationException("SLACK_SIGNING_SECRET is required (Basic Information > App Credentials > "
          + "Signing Secret), unless SLACK_APP_TOKEN turns on Socket Mode");
    }
    String botToken = env.getOrDefault("SLACK_BOT_TOKEN", "").trim();
    if (botToken.isEmpty()) {
      throw new ConfigurationException("SLACK_BOT_TOKEN is required (OAuth & Permissions > Bot User OAuth Token)");
    }
    if (!botToken.startsWith("xoxb-") || botToken.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new ConfigurationException("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
    }
    String apiUrl = env.getOrDefault("SLACK_API_URL", "").trim();
    if (apiUrl.isEmpty()) {
      apiUrl = "https://slack.com/api/";
    }
    try {
      URI uri = new URI(apiUrl);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new URISyntaxException(apiUrl, "not an absolute http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw new ConfigurationException("SLACK_API_URL must be an absolute http(s) URL such as "
          + "https://slack.com/api/ but was '" + apiUrl + "'");
    }
    Map<String, String> jenkins = new LinkedHashMap<>();
    for (String key : JENKINS_KEYS) {
      String value = env.getOrDefault(key, "").trim();
      if (!value.isEmpty()) {
        jenkins.put(key, value);
      }
    }
    return new Settings(port, address, secret, botToken, apiUrl, appToken, Map.copyOf(jenkins));
  }

  /** Whether all three Jenkins credentials are set. */
  boolean jenkinsConfigured() {
    return jenkins.size() == JENKINS_KEYS.size();
  }

  private static int port(String value) {
    if (value.isEmpty()) {
      return 3000;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException("PORT must be a number from 0 to 65535 but was '" + value + "'");
  }

  @Override
  public String toString() {
    return "Settings{port=" + port + ", bind=" + bindAddress.getHostAddress() + ", apiUrl=" + apiUrl
        + ", socketMode=" + !appToken.isEmpty() + ", jenkins=" + jenkinsConfigured() + "}";
  }
}
