package ai.chatops.access.internal;

import ai.chatops.access.AccessRefusedException;
import ai.chatops.audit.AuditEntry;
import ai.chatops.audit.internal.Auditor;
import ai.chatops.dialog.DialogParser;
import ai.chatops.dialog.Outcome;

/**
 * The dialog step that applies the access rules to the route a message resolved to, placed right inside the
 * conversation step: nobody is asked for missing details or "are you sure?" about what they may not run.
 * Every route the dialog chain resolves passes here, so the invocation chain does not check the rule of a
 * chat invocation again; it only charges the rate limits, when the plugin is about to run.
 */
public final class AccessDialogStep implements DialogParser {
  private final Access access;
  private final Auditor auditor;

  public AccessDialogStep(Access access, Auditor auditor) {
    this.access = access;
    this.auditor = auditor;
  }

  @Override
  public Outcome parse(Chain chain) {
    Outcome outcome = chain.proceed(chain.turn());
    if (outcome.kind() != Outcome.Kind.INVOKE) {
      return outcome;
    }
    String route = outcome.route().orElseThrow().path();
    try {
      access.checkRule(chain.turn().event(), route);
      return outcome;
    } catch (AccessRefusedException refused) {
      auditor.record(chain.turn().event(), route, outcome.attributes(), AuditEntry.Outcome.DENIED, 0,
          refused.reason());
      return Outcome.reply(refused.getMessage());
    }
  }
}
