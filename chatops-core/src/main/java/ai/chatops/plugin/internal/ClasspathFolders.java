package ai.chatops.plugin.internal;

import ai.chatops.ConfigurationException;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Lists the files directly inside a classpath folder, on disk ({@code file:}) or in a jar ({@code jar:}). */
public final class ClasspathFolders {
  private ClasspathFolders() {}

  /**
   * Adds to {@code names} the names of the regular files directly inside the folder {@code prefix} (a
   * resource path ending in {@code /}) of the classpath root that {@code url} points into.
   *
   * @param url a resource URL: the folder itself, or any file of the same jar
   */
  public static void addFileNames(URL url, String prefix, SortedSet<String> names) {
    try {
      switch (url.getProtocol()) {
        case "file":
          addFromDirectory(Path.of(url.toURI()), names);
          break;
        case "jar":
          addFromJar(url, prefix, names);
          break;
        default:
          throw new ConfigurationException(
              "cannot list the classpath folder "
                  + prefix
                  + " at "
                  + url
                  + ": only file: and jar: URLs can be listed; put the plugin's resources in a jar or a"
                  + " directory on the classpath");
      }
    } catch (IOException | URISyntaxException e) {
      throw new ConfigurationException("cannot list the classpath folder " + prefix + " at " + url + ": " + e, e);
    }
  }

  private static void addFromDirectory(Path path, SortedSet<String> names) throws IOException {
    if (!Files.isDirectory(path)) {
      return; // the URL named a file of the same jar, or a file where a folder was expected
    }
    try (Stream<Path> children = Files.list(path)) {
      children.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
    }
  }

  /**
   * The regular files under {@code base} (a resource path ending in {@code /}, sub-folders included) of the
   * jar that the {@code jar:} URL {@code url} points into, as paths relative to {@code base}. Walks the jar
   * once: in a shaded application jar that is thousands of entries, so a caller lists several folders from
   * one such walk.
   *
   * @throws ConfigurationException when the jar cannot be read
   */
  public static SortedSet<String> jarFiles(URL url, String base) {
    try {
      Optional<SortedSet<String>> read = CentralDirectory.files(url, base);
      if (read.isPresent()) {
        return read.get();
      }
      SortedSet<String> files = new TreeSet<>();
      addFromJar(url, base, files, true);
      return files;
    } catch (IOException e) {
      throw new ConfigurationException("cannot list the classpath folder " + base + " at " + url + ": " + e, e);
    }
  }

  private static void addFromJar(URL url, String prefix, SortedSet<String> names) throws IOException {
    addFromJar(url, prefix, names, false);
  }

  private static void addFromJar(URL url, String prefix, SortedSet<String> names, boolean nested)
      throws IOException {
    URLConnection connection = url.openConnection();
    if (!(connection instanceof JarURLConnection)) {
      throw new IOException("not a jar connection: " + connection.getClass().getName());
    }
    // Without caches the JarFile is this connection's own, so closing it cannot break the class loader.
    connection.setUseCaches(false);
    try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (!entry.isDirectory() && name.startsWith(prefix)) {
          String rest = name.substring(prefix.length());
          if (!rest.isEmpty() && (nested || rest.indexOf('/') < 0)) {
            names.add(rest);
          }
        }
      }
    }
  }
}
