package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.annotate.store.Accounts.Role;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.web.AnnotationServer;

/**
 * HTTPS with a self-signed certificate made here by keytool: the page and API answer over TLS only, the
 * keystore password comes from the environment variable named in annotate.tls.password-env and shows in
 * no message, and plain HTTP off loopback is refused unless a TLS-terminating proxy is declared.
 */
class AnnotateTlsTest {

    private static final String PASSWORD = "s3cret-Keystore-pw";

    @TempDir
    Path dir;

    private AnnotationStore store;
    private AnnotationServer server;
    private Path keystore;

    @BeforeEach
    void keystore() throws Exception {
        keystore = dir.resolve("annotate.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "annotate", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed: " + out);
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private String tlsConf() {
        return "annotate.tls { keystore = \"" + keystore + "\", password-env = TEST_ANNOTATE_KEYSTORE_PW }";
    }

    /** A client that trusts exactly the certificate in the test's keystore. */
    private HttpClient trustingClient() throws Exception {
        KeyStore keys = KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("annotate", keys.getCertificate("annotate"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void servesThePageAndApiOverHttpsOnly() throws Exception {
        String token = store.accounts().create("alice", Role.ANNOTATOR);
        server = AnnotationServer.start(store, AnnotateFixture.settings(tlsConf()), "127.0.0.1", 0,
                Map.of("TEST_ANNOTATE_KEYSTORE_PW", PASSWORD));
        assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
        HttpClient client = trustingClient();
        HttpResponse<String> me = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/me"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        assertTrue(me.body().contains("\"alice\""), me.body());
        assertTrue(me.headers().firstValue("Strict-Transport-Security").isPresent());
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(server.url())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());

        // a client that does not trust the certificate gets no connection
        assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "api/me")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()));

        // plain HTTP to the HTTPS port gets no HTTP answer
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = plain.getInputStream();
            byte[] answer = in.readNBytes(5);
            assertFalse(new String(answer, StandardCharsets.ISO_8859_1).startsWith("HTTP/"), "plain HTTP was answered in clear");
        } catch (java.net.SocketException e) {
            // reset: no answer either
        }
    }

    @Test
    void aMissingOrWrongPasswordIsAConfigProblemThatNeverShowsThePassword() {
        ConfigProblem unset = assertThrows(ConfigProblem.class, () -> AnnotationServer.start(store,
                AnnotateFixture.settings(tlsConf()), "127.0.0.1", 0, Map.of()));
        assertTrue(unset.getMessage().contains("TEST_ANNOTATE_KEYSTORE_PW is not set"), unset.getMessage());
        ConfigProblem wrong = assertThrows(ConfigProblem.class, () -> AnnotationServer.start(store,
                AnnotateFixture.settings(tlsConf()), "127.0.0.1", 0, Map.of("TEST_ANNOTATE_KEYSTORE_PW", "not-" + PASSWORD)));
        assertTrue(wrong.getMessage().contains("annotate.tls.keystore: cannot use"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains(PASSWORD), "the message holds the password: " + wrong.getMessage());
    }

    @Test
    void plainHttpOffLoopbackIsRefusedUnlessAProxyTerminatesTls() throws Exception {
        ConfigProblem refused = assertThrows(ConfigProblem.class, () -> AnnotationServer.start(store,
                AnnotateFixture.settings(""), "0.0.0.0", 0));
        assertTrue(refused.getMessage().contains("annotate.host = 0.0.0.0 is not a loopback address")
                && refused.getMessage().contains("annotate.tls.keystore")
                && refused.getMessage().contains("annotate.tls.terminated-by-proxy"), refused.getMessage());
        // loopback needs nothing, and a declared proxy allows plain HTTP elsewhere
        AnnotationServer.start(store, AnnotateFixture.settings(""), "127.0.0.1", 0).close();
        server = AnnotationServer.start(store, AnnotateFixture.settings("annotate.tls.terminated-by-proxy = true"), "0.0.0.0", 0);
        assertTrue(server.url().startsWith("http://0.0.0.0:"), server.url());
        // and HTTPS may listen anywhere
        server.close();
        server = AnnotationServer.start(store, AnnotateFixture.settings(tlsConf()), "0.0.0.0", 0,
                Map.of("TEST_ANNOTATE_KEYSTORE_PW", PASSWORD));
        assertTrue(server.url().startsWith("https://0.0.0.0:"), server.url());
    }
}
