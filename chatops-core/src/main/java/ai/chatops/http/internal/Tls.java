package ai.chatops.http.internal;

import ai.chatops.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** PEM parsing and the trust managers behind {@code caCertificatePem} and {@code sslVerify(false)}. */
public final class Tls {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  /** Accepts any host name; used only with {@code sslVerify(false)}. */
  public static final HostnameVerifier ANY_HOST = (host, session) -> true;

  private Tls() {}

  /**
   * Parses every {@code CERTIFICATE} block of a PEM text; text outside the blocks is ignored.
   *
   * @param setting the builder setting the text came from, named in error messages
   * @throws ConfigurationException when there is no block, a block is not closed, is not base64 or is not an
   *     X.509 certificate
   */
  public static List<X509Certificate> parseCertificates(String pem, String setting) {
    if (pem == null || pem.isBlank()) {
      throw new ConfigurationException(setting + " is empty; expected one or more PEM blocks " + BEGIN + " ... " + END);
    }
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("this JVM has no X.509 certificate factory", e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = pem.indexOf(BEGIN, from);
      if (begin < 0) {
        break;
      }
      int number = certificates.size() + 1;
      int end = pem.indexOf(END, begin + BEGIN.length());
      if (end < 0) {
        throw new ConfigurationException(setting + ": certificate " + number + " has no " + END + " line");
      }
      String base64 = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s+", "");
      byte[] der;
      try {
        der = Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            setting + ": certificate " + number + " is not valid base64 (" + e.getMessage() + ")", e);
      }
      try {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      } catch (CertificateException | ClassCastException e) {
        throw new ConfigurationException(
            setting + ": certificate " + number + " is not a readable X.509 certificate (" + e.getMessage() + ")",
            e);
      }
      from = end + END.length();
    }
    if (certificates.isEmpty()) {
      throw new ConfigurationException(
          setting + " holds no PEM certificate; expected one or more blocks " + BEGIN + " ... " + END);
    }
    return List.copyOf(certificates);
  }

  /** A trust manager that trusts exactly the given roots and nothing else. */
  public static X509TrustManager trustOnly(List<X509Certificate> roots) {
    try {
      KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
      keyStore.load(null, null);
      for (int i = 0; i < roots.size(); i++) {
        keyStore.setCertificateEntry("ca-" + i, roots.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(keyStore);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager) {
          return (X509TrustManager) manager;
        }
      }
      throw new IllegalStateException("the default TrustManagerFactory made no X509TrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build a trust store from the given certificates", e);
    }
  }

  /** A trust manager that accepts every certificate chain; used only with {@code sslVerify(false)}. */
  public static X509TrustManager trustAll() {
    return new TrustAll();
  }

  /** A TLS socket factory whose handshakes check certificates with {@code trustManager}. */
  public static SSLSocketFactory socketFactory(X509TrustManager trustManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not create a TLS context", e);
    }
  }

  /** Extends {@link X509ExtendedTrustManager} so that the JDK adds no host name check of its own. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
