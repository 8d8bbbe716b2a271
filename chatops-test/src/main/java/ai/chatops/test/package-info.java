/**
 * The test kit of chatops-java, for testing bots, plugins and stores built on it.
 *
 * <ul>
 *   <li>{@link ai.chatops.test.StoreContract}: the JUnit 5 suite every {@link ai.chatops.store.Store}
 *       implementation extends to show that it keeps the Store contract.
 *   <li>{@link ai.chatops.test.MutableClock}: a clock that tests move by hand, to expire entries and age
 *       timestamps without waiting.
 * </ul>
 *
 * <p>The kit depends on JUnit Jupiter's API and AssertJ at compile scope, so that a test-scoped dependency on
 * {@code chatops-test} brings what its suites need.
 */
package ai.chatops.test;
