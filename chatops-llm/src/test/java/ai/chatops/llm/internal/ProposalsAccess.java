package ai.chatops.llm.internal;

/** The instructions the engine sends, for tests that check the whole request. */
public final class ProposalsAccess {
  private ProposalsAccess() {}

  public static String instructions() {
    return Proposals.INSTRUCTIONS;
  }
}
