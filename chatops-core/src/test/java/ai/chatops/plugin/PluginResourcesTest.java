package ai.chatops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.chatops.ConfigurationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PluginResourcesTest {
  static final ClassLoader TEST_CLASSPATH = PluginResourcesTest.class.getClassLoader();

  @TempDir Path temp;

  @Test
  void readsTheConfigFromADirectoryOnTheClasspath() {
    PluginConfig config = PluginResources.of("sample", TEST_CLASSPATH).config();

    assertThat(config.name()).isEqualTo("sample");
    assertThat(config.routes()).extracting(Route::path).containsExactly("/v1/sample/build", "/v1/sample/jobs");
    assertThat(config.credentials().keys()).containsExactly("SAMPLE_URL", "SAMPLE_TOKEN");
    assertThat(PluginConfig.fromClasspath("sample", TEST_CLASSPATH)).isEqualTo(config);
  }

  @Test
  void listsFilesDirectlyInsideEachFolderOnDisk() {
    PluginResources resources = PluginResources.of("sample", TEST_CLASSPATH);

    assertThat(resources.list("intents")).containsExactly("build.json", "build_usersays_en.json");
    assertThat(resources.list("entities/")).containsExactly("branch.json");
    assertThat(resources.list("data")).containsExactly("build.txt");
    assertThat(PluginResources.of("broken", TEST_CLASSPATH).list("data")).isEmpty();
  }

  @Test
  void readsAFileAsUtf8() {
    PluginResources resources = PluginResources.of("sample", TEST_CLASSPATH);

    assertThat(resources.read("data/build.txt")).contains("build main\nbuild the release branch\n");
    assertThat(resources.read("data/missing.txt")).isEmpty();
  }

  @Test
  void namesTheResourcePathInConfigErrors() {
    assertThatThrownBy(() -> PluginResources.of("broken", TEST_CLASSPATH).config())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "chatops/plugins/broken/config.yaml line 3: Routes[0]: '/v1/other/build' names plugin 'other', but"
                + " this is the config of 'broken'; routes here start with /v1/broken/");
  }

  @Test
  void namesTheExpectedResourceWhenTheConfigIsMissing() {
    assertThatThrownBy(() -> PluginConfig.fromClasspath("absent", TEST_CLASSPATH))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "plugin 'absent' has no config: expected the classpath resource chatops/plugins/absent/config.yaml"
                + " (src/main/resources/chatops/plugins/absent/config.yaml in the plugin's project)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../sample/config.yaml", "data/../../sample/config.yaml", "/etc/passwd", "data\\build.txt",
          "data//build.txt", "./config.yaml", "", "file:/etc/passwd"})
  void rejectsPathsThatLeaveThePluginFolder(String path) {
    assertThatThrownBy(() -> PluginResources.of("sample", TEST_CLASSPATH).read(path))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "'"
                + path
                + "' is not a path inside plugin 'sample': use a relative path with '/' separators and no '.',"
                + " '..' or empty segments, e.g. data/build.txt");
  }

  @Test
  void rejectsListingAnUnknownFolder() {
    assertThatThrownBy(() -> PluginResources.of("sample", TEST_CLASSPATH).list("../sample"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "cannot list '../sample' of plugin 'sample': expected one of data, entities, intents");
  }

  @Test
  void rejectsAFileLargerThanOneMebibyte() throws IOException {
    Path jar =
        jar(
            "big.jar",
            false,
            Map.of("chatops/plugins/big/data/huge.txt", "x".repeat(PluginResources.MAX_FILE_BYTES + 1)));

    try (URLClassLoader loader = loader(jar)) {
      assertThatThrownBy(() -> PluginResources.of("big", loader).read("data/huge.txt"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("chatops/plugins/big/data/huge.txt is larger than 1048576 bytes; split it or trim it");
    }
  }

  @Test
  void rejectsAFileThatIsNotUtf8() throws IOException {
    Path jar = temp.resolve("latin1.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("chatops/plugins/latin/data/a.txt"));
      out.write(new byte[] {'c', 'a', 'f', (byte) 0xE9});
      out.closeEntry();
    }

    try (URLClassLoader loader = loader(jar)) {
      assertThatThrownBy(() -> PluginResources.of("latin", loader).read("data/a.txt"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("chatops/plugins/latin/data/a.txt is not valid UTF-8; save it as UTF-8");
    }
  }

  @Test
  void readsAndListsResourcesInsideAJarWithoutDirectoryEntries() throws IOException {
    assertJarPluginIsReadable(jar("plain.jar", false, jarredPlugin()));
  }

  @Test
  void readsAndListsResourcesInsideAJarWithDirectoryEntries() throws IOException {
    assertJarPluginIsReadable(jar("dirs.jar", true, jarredPlugin()));
  }

  @Test
  void listsNothingForAFolderAJarDoesNotHave() throws IOException {
    Path jar = jar("configonly.jar", false, Map.of("chatops/plugins/jarred/config.yaml", "Version: 1\n"));

    try (URLClassLoader loader = loader(jar)) {
      assertThat(PluginResources.of("jarred", loader).list("intents")).isEmpty();
    }
  }

  private void assertJarPluginIsReadable(Path jar) throws IOException {
    try (URLClassLoader loader = loader(jar)) {
      PluginResources resources = PluginResources.of("jarred", loader);

      assertThat(resources.config().routes()).extracting(Route::action).containsExactly("deploy");
      assertThat(resources.list("intents")).containsExactly("a.json", "b.json");
      assertThat(resources.list("entities")).isEmpty();
      assertThat(resources.list("data")).containsExactly("train.txt");
      assertThat(resources.read("data/train.txt")).contains("deploy to staging\n");
      assertThat(resources.read("intents/sub/deep.json")).contains("{}");
    }
  }

  private static Map<String, String> jarredPlugin() {
    return Map.of(
        "chatops/plugins/jarred/config.yaml", "Version: 3\nRoutes:\n  - /v1/jarred/deploy\n",
        "chatops/plugins/jarred/intents/b.json", "{}",
        "chatops/plugins/jarred/intents/a.json", "{}",
        "chatops/plugins/jarred/intents/sub/deep.json", "{}",
        "chatops/plugins/jarred/data/train.txt", "deploy to staging\n",
        "chatops/plugins/other/intents/c.json", "{}");
  }

  private Path jar(String name, boolean directoryEntries, Map<String, String> files) throws IOException {
    Path jar = temp.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      Set<String> directories = new TreeSet<>();
      for (String path : files.keySet()) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
          directories.add(path.substring(0, slash + 1));
        }
      }
      if (directoryEntries) {
        for (String directory : directories) {
          out.putNextEntry(new JarEntry(directory));
          out.closeEntry();
        }
      }
      for (String path : new TreeSet<>(files.keySet())) {
        out.putNextEntry(new JarEntry(path));
        out.write(files.get(path).getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static URLClassLoader loader(Path jar) throws IOException {
    // No parent classpath: the test resources on disk must not answer for the jar.
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
  }

  @Test
  void listsTheSameFoldersFromAJarAsFromDisk() throws IOException {
    Path jar =
        jar(
            "copy.jar",
            false,
            Map.of(
                "chatops/plugins/sample/config.yaml", "Version: 1\nRoutes: [/v1/sample/build]\n",
                "chatops/plugins/sample/intents/build.json", "{}",
                "chatops/plugins/sample/intents/build_usersays_en.json", "[]",
                "chatops/plugins/sample/intents/nested/ignored.json", "{}"));

    try (URLClassLoader loader = loader(jar)) {
      assertThat(PluginResources.of("sample", loader).list("intents"))
          .isEqualTo(PluginResources.of("sample", TEST_CLASSPATH).list("intents"))
          .isEqualTo(List.of("build.json", "build_usersays_en.json"));
    }
  }
}
