package ai.chatops.plugin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a jar's central directory lists what walking it with JarFile lists, or leaves the jar to it. */
class CentralDirectoryTest {
  private static final String PREFIX = "chatops/plugins/bot/";
  private static final List<String> ENTRIES = List.of(
      "META-INF/", "chatops/", "chatops/plugins/", PREFIX, PREFIX + "config.yaml", PREFIX + "intents/",
      PREFIX + "intents/ping.json", PREFIX + "intents/ping_usersays_en.json", PREFIX + "data/ping.txt",
      PREFIX + "data/deep/er.txt", PREFIX + "data/größe.txt", "chatops/plugins/bot2/config.yaml",
      "chatops/plugins/bo/x.txt", "ai/chatops/Some.class", "chatops/plugins/bot");

  @TempDir Path temp;

  @Test
  void listsWhatJarFileLists() throws IOException {
    Path jar = temp.resolve("plugin.jar");
    Files.write(jar, jar("a jar comment"));

    assertThat(CentralDirectory.files(url(jar), PREFIX)).contains(walk(jar)).hasValueSatisfying(files ->
        assertThat(files).containsExactly("config.yaml", "data/deep/er.txt", "data/größe.txt", "data/ping.txt",
            "intents/ping.json", "intents/ping_usersays_en.json"));
  }

  @Test
  void findsTheDirectoryBehindAPrependedLauncher() throws IOException {
    Path jar = temp.resolve("launcher.jar");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(StandardCharsets.US_ASCII));
    bytes.write(jar(null));
    Files.write(jar, bytes.toByteArray());

    assertThat(CentralDirectory.files(url(jar), PREFIX)).contains(walk(jar));
  }

  @Test
  void leavesAnythingElseToJarFile() throws IOException {
    Path notAZip = temp.resolve("broken.jar");
    Files.write(notAZip, "not a zip at all, and longer than an end record".getBytes(StandardCharsets.US_ASCII));
    Path jar = temp.resolve("plugin.jar");
    Files.write(jar, jar(null));

    assertThat(CentralDirectory.files(url(notAZip), PREFIX)).isEmpty();
    assertThat(CentralDirectory.files(new URL("jar:" + url(jar).toString().substring(4) + "inner.jar!/x"), PREFIX))
        .isEmpty();
    assertThat(CentralDirectory.files(jar.toUri().toURL(), PREFIX)).isEmpty();
  }

  private static byte[] jar(String comment) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out)) {
      for (String name : ENTRIES) {
        jar.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) {
          jar.write(name.getBytes(StandardCharsets.UTF_8));
        }
        jar.closeEntry();
      }
      if (comment != null) {
        jar.setComment(comment);
      }
    }
    return out.toByteArray();
  }

  private static URL url(Path jar) throws IOException {
    return new URL("jar:" + jar.toUri() + "!/" + PREFIX + "config.yaml");
  }

  private static SortedSet<String> walk(Path path) throws IOException {
    SortedSet<String> names = new TreeSet<>();
    try (JarFile jar = new JarFile(path.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (name.startsWith(PREFIX) && !name.endsWith("/")) {
          names.add(name.substring(PREFIX.length()));
        }
      }
    }
    return names;
  }
}
