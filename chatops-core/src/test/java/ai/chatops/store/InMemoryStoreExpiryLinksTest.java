package ai.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.fixtures.MutableClock;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The expiry index's lanes unlink the marks they hand to reclamation. A taken mark left pointing at its
 * successor is garbage that, once promoted to the old generation, keeps every mark appended after it alive
 * through young collections (G1 treats old objects as roots until the old generation is collected): in the
 * event benchmark that chain grew to about a million marks, copied one at a time in each young pause (130 ms
 * pauses, a fifth of the run). No collector can be made to show that in a unit test, so this test reads the
 * links themselves.
 */
final class InMemoryStoreExpiryLinksTest {
  private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

  @Test
  void everyMarkTakenByReclamationLinksOnlyToItselfAndTheLanesStillTakeNewMarks() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    InMemoryStore store = InMemoryStore.create(clock);
    for (int i = 0; i < 200; i++) {
      store.put("k/" + i, VALUE, clock.instant().plusSeconds(10));
      clock.advance(Duration.ofMillis(10));
    }
    List<Object> pending = pendingMarks(store);
    assertThat(pending).hasSize(200);

    clock.advance(Duration.ofSeconds(60));
    for (int i = 0; i < 200; i++) {
      store.put("later/" + i, VALUE, clock.instant().plusSeconds(10)); // each write reclaims a few
    }

    assertThat(store.get("k/0")).isEmpty();
    int selfLinked = 0;
    for (Object mark : pending) {
      Object next = next(mark);
      if (next == mark) {
        selfLinked++;
      } else {
        // Only a lane's current head (the mark taken last) may still link on, to the marks pending behind it.
        assertThat(isHeadOfALane(store, mark)).as("a taken mark that is not a lane's head").isTrue();
      }
    }
    assertThat(selfLinked).isGreaterThanOrEqualTo(199);
    // The new marks went on being appended after the unlinked ones, and are reclaimed in their turn.
    clock.advance(Duration.ofSeconds(60));
    assertThat(store.purgeExpired()).isEqualTo(200);
    assertThat(store.size()).isZero();
  }

  private static List<Object> pendingMarks(InMemoryStore store) throws Exception {
    List<Object> marks = new ArrayList<>();
    for (Object lane : lanes(store)) {
      for (Object mark = next(field(lane, "head")); mark != null; mark = next(mark)) {
        marks.add(mark);
      }
    }
    return marks;
  }

  private static boolean isHeadOfALane(InMemoryStore store, Object mark) throws Exception {
    for (Object lane : lanes(store)) {
      if (field(lane, "head") == mark) {
        return true;
      }
    }
    return false;
  }

  private static Object[] lanes(InMemoryStore store) throws Exception {
    return (Object[]) field(field(store, "expiries"), "lanes");
  }

  private static Object next(Object mark) throws Exception {
    return field(mark, "next");
  }

  private static Object field(Object owner, String name) throws Exception {
    Field f = owner.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(owner);
  }
}
