/**
 * The implementer's toolkit: small, stable helpers for people who write a {@link ai.chatops.store.Store} or a
 * {@link ai.chatops.service.ServiceHandler}, ours and third parties' alike.
 *
 * <ul>
 *   <li>{@link ai.chatops.toolkit.LogSafe}: outside text made safe for a log line (escaped, clipped);</li>
 *   <li>{@link ai.chatops.toolkit.JsonLimits}: the read limits every parser of outside JSON enforces;</li>
 *   <li>{@link ai.chatops.toolkit.KeyBytes}: store keys fitted into a backend's key-size limit;</li>
 *   <li>{@link ai.chatops.toolkit.WallClockVersions}: entry versions for backends without a counter.</li>
 * </ul>
 *
 * <p>These were internal until sibling modules needed them. They are public, documented and kept
 * compatible like the rest of the API, so that no module imports another module's {@code internal}
 * package; anything not listed here stays internal.
 */
package ai.chatops.toolkit;
