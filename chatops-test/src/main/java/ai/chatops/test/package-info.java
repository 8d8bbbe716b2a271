/**
 * The test kit of chatops-java, for testing bots, plugins and stores built on it.
 *
 * <ul>
 *   <li>{@link ai.chatops.test.StoreContract}: the JUnit 5 suite every {@link ai.chatops.store.Store}
 *       implementation extends to show that it keeps the Store contract.
 *   <li>{@link ai.chatops.test.MutableClock}: a clock that tests move by hand, to expire entries and age
 *       timestamps without waiting.
 *   <li>{@link ai.chatops.test.ConversationTester}: says messages to a real router with your plugins and
 *       checks the replies and the invocations, TestFlow style.
 *   <li>{@link ai.chatops.test.ChatOpsExtension}: a JUnit 5 extension giving each test a fresh tester.
 *   <li>{@link ai.chatops.test.PluginTester}: calls one plugin's routes directly, e.g. against a
 *       {@code MockWebServer}.
 *   <li>{@link ai.chatops.test.ScriptedNlu}: an NLU engine that understands the sentences a test scripted.
 *   <li>{@link ai.chatops.test.RecordingService}: a chat platform that builds user messages and records the
 *       bot's replies.
 * </ul>
 *
 * <p>The kit depends on JUnit Jupiter's API and AssertJ at compile scope, so that a test-scoped dependency on
 * {@code chatops-test} brings what its suites need.
 */
package ai.chatops.test;
