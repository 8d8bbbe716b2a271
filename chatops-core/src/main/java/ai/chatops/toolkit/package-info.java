/**
 * The implementer's toolkit: small, stable helpers for people who write a {@link ai.chatops.store.Store} or a
 * {@link ai.chatops.service.ServiceHandler}, ours and third parties' alike.
 *
 * <ul>
 *   <li>{@link ai.chatops.toolkit.LogSafe}: outside text made safe for a log line (escaped, clipped);</li>
 *   <li>{@link ai.chatops.toolkit.JsonLimits}: the read limits every parser of outside JSON enforces;</li>
 *   <li>{@link ai.chatops.toolkit.KeyBytes}: store keys fitted into a backend's key-size limit;</li>
 *   <li>{@link ai.chatops.toolkit.WallClockVersions}: entry versions for backends without a counter;</li>
 *   <li>{@link ai.chatops.toolkit.QueuedEventJson}: the one queue format of an acknowledged event, for
 *       transports that hand events to workers through a queue (SQS, Pub/Sub, a user's own);</li>
 *   <li>{@link ai.chatops.toolkit.HmacSignature}: a webhook's HMAC-SHA256 signature header (hex or base64),
 *       checked in constant time;</li>
 *   <li>{@link ai.chatops.toolkit.ApiUrls}: the https-or-loopback rule for URLs a token is sent to;</li>
 *   <li>{@link ai.chatops.toolkit.QueryString}: a raw query string read into decoded values, bounded;</li>
 *   <li>{@link ai.chatops.toolkit.TextChunks}: long text split under a platform's message-length limit.</li>
 * </ul>
 *
 * <p>These were internal until sibling modules needed them. They are public, documented and kept
 * compatible like the rest of the API, so that no module imports another module's {@code internal}
 * package; anything not listed here stays internal.
 */
package ai.chatops.toolkit;
