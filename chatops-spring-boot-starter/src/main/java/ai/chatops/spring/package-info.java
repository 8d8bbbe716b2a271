/**
 * Spring Boot auto-configuration of chatops-java: {@link ai.chatops.spring.ChatOpsAutoConfiguration} builds
 * one router from {@code chatops.*} properties ({@link ai.chatops.spring.ChatOpsProperties}) and the
 * context's beans, serves it with {@link ai.chatops.servlet.ChatOpsServlet}, drains it on shutdown
 * ({@link ai.chatops.spring.ChatOpsLifecycle}), and reports health, info, Micrometer metrics
 * ({@link ai.chatops.spring.MicrometerObserver}) and OpenTelemetry traces
 * ({@link ai.chatops.spring.OpenTelemetryTracing}). See docs/spring.md.
 */
package ai.chatops.spring;
