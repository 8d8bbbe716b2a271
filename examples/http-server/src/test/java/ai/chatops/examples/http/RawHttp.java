package ai.chatops.examples.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Reading a raw HTTP/1.1 response off a socket, for the host tests that write requests byte by byte. */
final class RawHttp {
  private RawHttp() {}

  /**
   * Reads until the server closes the connection or one whole response is in (by its Content-Length, or the
   * last chunk of a chunked one).
   */
  static String readResponse(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (true) {
      String text = bytes.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0 && text.endsWith("\r\n0\r\n\r\n")) {
        return text;
      }
      if (end >= 0) {
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        if (length.find() && bytes.size() >= end + 4 + Integer.parseInt(length.group(1))) {
          return text;
        }
      }
      int n;
      try {
        n = in.read(buffer);
      } catch (java.net.SocketException e) {
        return text;
      }
      if (n < 0) {
        return text;
      }
      bytes.write(buffer, 0, n);
    }
  }
}
