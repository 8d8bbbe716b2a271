package ai.chatops.jenkins.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * What a follow-up watches, written into {@code FollowUp.key()}: a queue item or a build of a job, the
 * instant following must end, how many polls in a row failed, and whether the reason for waiting in the
 * queue was already told. The router hands the key back on every poll, and a poll that changes it returns
 * {@code Action.keepFollowing} with the new key, so the plugin keeps no state per follow-up. Never holds a
 * secret.
 *
 * <p>Form: {@code jenkins|queue|<item>|<job path>|<deadline epoch s>|<failures>|<told>} or
 * {@code jenkins|build|<number>|...}; Jenkins forbids {@code |} in job names.
 */
public record FollowKey(Kind kind, long id, JobPath job, Instant deadline, int failures, boolean toldWhy) {
  /** Whether a queue item or a build is followed. */
  public enum Kind {
    QUEUE,
    BUILD
  }

  public String encode() {
    return String.join("|", "jenkins", kind == Kind.QUEUE ? "queue" : "build", Long.toString(id), job.key(),
        Long.toString(deadline.getEpochSecond()), Integer.toString(failures), toldWhy ? "1" : "0");
  }

  /** Parses a key written by {@link #encode()}; empty for any other text. */
  public static Optional<FollowKey> decode(String key) {
    String[] parts = key.split("\\|", -1);
    if (parts.length != 7 || !parts[0].equals("jenkins")) {
      return Optional.empty();
    }
    Kind kind;
    if (parts[1].equals("queue")) {
      kind = Kind.QUEUE;
    } else if (parts[1].equals("build")) {
      kind = Kind.BUILD;
    } else {
      return Optional.empty();
    }
    try {
      int failures = Integer.parseInt(parts[5]);
      if (failures < 0) {
        return Optional.empty();
      }
      return Optional.of(new FollowKey(kind, Long.parseLong(parts[2]), JobPath.fromKey(parts[3]),
          Instant.ofEpochSecond(Long.parseLong(parts[4])), failures, parts[6].equals("1")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The key of what is followed next (the build a queue item became): no failures, the same deadline. */
  public FollowKey next(Kind newKind, long newId, boolean told) {
    return new FollowKey(newKind, newId, job, deadline, 0, told);
  }

  /** This key with another count of failed polls in a row. */
  public FollowKey withFailures(int count) {
    return new FollowKey(kind, id, job, deadline, count, toldWhy);
  }
}
