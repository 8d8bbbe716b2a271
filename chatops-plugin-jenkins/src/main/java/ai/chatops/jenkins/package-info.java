/**
 * The Jenkins plugin: {@link ai.chatops.jenkins.JenkinsPlugin} builds, starts, stops, lists and reports on
 * Jenkins jobs from chat, and follows builds to their result. Register it with
 * {@code EventRouter.builder().plugin(JenkinsPlugin.create(), credentials)}.
 */
package ai.chatops.jenkins;
