/**
 * Who may run what, and how often: the host's {@link ai.chatops.access.AccessPolicy} (groups, the default for
 * routes without a rule, administrators, rate limits) applied with the plugins' own
 * {@link ai.chatops.plugin.AccessRule}s, and the {@link ai.chatops.access.AccessRefusedException} a refused
 * call fails with. The enforcement itself is internal: a step of the dialog chain (so that nobody is asked
 * for details of what they may not run) and a step of the invocation chain (for every call that did not come
 * through the dialog, and for the rate limits).
 */
package ai.chatops.access;
