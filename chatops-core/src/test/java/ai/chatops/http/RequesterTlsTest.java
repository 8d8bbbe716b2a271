package ai.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.chatops.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequesterTlsTest {
  private final HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).commonName("test root").build();
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    HeldCertificate serverCertificate =
        new HeldCertificate.Builder()
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .signedBy(root)
            .build();
    HandshakeCertificates certificates =
        new HandshakeCertificates.Builder().heldCertificate(serverCertificate, root.certificate()).build();
    server.useHttps(certificates.sslSocketFactory());
    server.start(0);
    server.enqueue(new MockResponse.Builder().body("secure").build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Requester.Builder requester() {
    return Requester.builder().baseUrl(server.url("/").toString()).maxRetries(0);
  }

  @Test
  void rejectsACertificateFromAnUnknownRootByDefault() {
    ApiException e =
        catchThrowableOfType(ApiException.class, () -> requester().build().execute(ApiRequest.get("x").build()));

    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).startsWith("GET " + server.url("/x") + " failed: SSLHandshakeException: ");
    assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void doesNotRetryACertificateFailure() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> requester().maxRetries(3).build().execute(ApiRequest.get("x").build()));

    assertThat(e.getMessage()).doesNotContain("attempts");
  }

  @Test
  void acceptsTheServerWhenItsRootIsTheCaCertificate() {
    ApiResponse response =
        requester().caCertificatePem(root.certificatePem()).build().execute(ApiRequest.get("x").build());

    assertThat(response.bodyAsString()).isEqualTo("secure");
  }

  @Test
  void acceptsTheServerWhenItsRootIsOneOfSeveralCaCertificates() {
    HeldCertificate other = new HeldCertificate.Builder().certificateAuthority(0).build();
    String pem = "company bundle\n" + other.certificatePem() + "\n" + root.certificatePem();

    ApiResponse response = requester().caCertificatePem(pem).build().execute(ApiRequest.get("x").build());

    assertThat(response.bodyAsString()).isEqualTo("secure");
  }

  @Test
  void trustsOnlyTheCaCertificateAndNotTheServersRoot() {
    HeldCertificate other = new HeldCertificate.Builder().certificateAuthority(0).build();

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> requester().caCertificatePem(other.certificatePem()).build().execute(ApiRequest.get("x").build()));

    assertThat(e.status()).isZero();
    assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void keepsTheCaCertificateInAVariant() {
    Requester requester = requester().caCertificatePem(root.certificatePem()).build();

    ApiResponse response = requester.newBuilder().userAgent("variant").build().execute(ApiRequest.get("x").build());

    assertThat(response.bodyAsString()).isEqualTo("secure");
  }

  @Test
  void acceptsAnyCertificateWithSslVerifyFalseAndWarnsNamingTheBaseUrl() {
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Requester requester;
    try {
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      requester = requester().sslVerify(false).build();
    } finally {
      System.setErr(original);
    }

    ApiResponse response = requester.execute(ApiRequest.get("x").build());

    assertThat(response.bodyAsString()).isEqualTo("secure");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("WARN ai.chatops.http.Requester - TLS certificate and host name verification is disabled "
            + "(sslVerify=false) for " + server.url("/"));
  }

  @Test
  void refusesACaCertificateCombinedWithSslVerifyFalse() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> requester().caCertificatePem(root.certificatePem()).sslVerify(false).build());

    assertThat(e)
        .hasMessage("caCertificatePem has no effect with sslVerify(false) for " + server.url("/") + "; remove one of them");
  }

  @Test
  void refusesTextWithoutACertificate() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class, () -> Requester.builder().caCertificatePem("not a certificate"));

    assertThat(e)
        .hasMessage(
            "caCertificatePem holds no PEM certificate; expected one or more blocks "
                + "-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----");
  }

  @Test
  void refusesAnEmptyCaCertificate() {
    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> Requester.builder().caCertificatePem(" \n"));

    assertThat(e).hasMessageStartingWith("caCertificatePem is empty; expected one or more PEM blocks ");
  }

  @Test
  void refusesACertificateWithoutAnEndLine() {
    String pem = root.certificatePem();
    String cut = pem.substring(0, pem.indexOf("-----END"));

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> Requester.builder().caCertificatePem(cut));

    assertThat(e).hasMessage("caCertificatePem: certificate 1 has no -----END CERTIFICATE----- line");
  }

  @Test
  void refusesACertificateThatIsNotBase64() {
    String garbled = root.certificatePem() + "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n";

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> Requester.builder().caCertificatePem(garbled));

    assertThat(e).hasMessageStartingWith("caCertificatePem: certificate 2 is not valid base64 (");
  }

  @Test
  void refusesACertificateWhoseBytesAreNotX509() {
    String garbled = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> Requester.builder().caCertificatePem(garbled));

    assertThat(e).hasMessageStartingWith("caCertificatePem: certificate 1 is not a readable X.509 certificate (");
  }
}
