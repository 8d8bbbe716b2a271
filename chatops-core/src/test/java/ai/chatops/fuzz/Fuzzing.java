package ai.chatops.fuzz;

/** What the fuzz targets of this module share. */
final class Fuzzing {
  /**
   * How long each target is fuzzed in fuzzing mode ({@code JAZZER_FUZZ=1}, as {@code .ci/run} does);
   * regression mode, in every {@code ./mvnw verify}, runs the seeds only and ignores it.
   */
  static final String DURATION = "15s";

  private Fuzzing() {}
}
