package ai.chatops.store;

import java.time.Instant;

/**
 * Tells whether a {@link Store} implementation overrides {@link Store#putIfAbsent}, remembered per class, so
 * that a store overriding neither of the two put-if-absent methods fails with a message instead of a
 * {@link StackOverflowError} from the defaults calling each other.
 */
final class DefaultPutIfAbsent {
  private static final ClassValue<Boolean> OVERRIDES_PUT_IF_ABSENT = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("putIfAbsent", String.class, byte[].class, Instant.class).getDeclaringClass()
            != Store.class;
      } catch (NoSuchMethodException e) {
        throw new AssertionError("every Store has putIfAbsent", e);
      }
    }
  };

  private DefaultPutIfAbsent() {}

  /** Throws unless {@code type} overrides {@code putIfAbsent}, which the default of the versioned form calls. */
  static void requireOverride(Class<?> type) {
    if (!OVERRIDES_PUT_IF_ABSENT.get(type)) {
      throw new UnsupportedOperationException(type.getName() + " overrides neither putIfAbsentVersioned nor"
          + " putIfAbsent, whose defaults call each other: override putIfAbsentVersioned");
    }
  }
}
