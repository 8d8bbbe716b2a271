/**
 * Serves an {@link ai.chatops.EventRouter} from any Jakarta Servlet 6 container (Jetty, Tomcat, Undertow,
 * a Spring Boot application): {@link ai.chatops.servlet.ChatOpsServlet}.
 */
package ai.chatops.servlet;
