package ai.chatops.aws;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the documented sample payloads under {@code events/} with the Lambda runtime's own serialization. */
final class Events {
  private Events() {}

  static <T> T load(String name, Class<T> type) {
    try (InputStream in = Events.class.getResourceAsStream("/events/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource events/" + name);
      }
      return LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader()).fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
