package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.annotate.AnnotateFixture.Reply;
import org.rlhf4j.host.annotate.store.Accounts.Role;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.web.AnnotationServer;

/**
 * Half-open connections (a request whose headers never finish) cannot stall the server: they hold no
 * request thread, are closed after {@code annotate.server.header-timeout}, and one address gets at most
 * {@code annotate.server.max-connections-per-client} connections. The attacker connects from 127.0.0.2,
 * everyone else from 127.0.0.1 (Linux routes all of 127/8 to the loopback interface).
 */
class AnnotateServerLimitsTest {

    private static final String ATTACKER = "127.0.0.2";

    @TempDir
    Path dir;

    private AnnotationStore store;
    private AnnotationServer server;
    private final List<Socket> sockets = new ArrayList<>();

    private String start(String overrides) throws Exception {
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
        server = AnnotationServer.start(store, AnnotateFixture.settings(overrides), "127.0.0.1", 0);
        return server.url();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** A connection from {@code from} that sends a request line and one header, and never the end of the headers. */
    private Socket halfOpen(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        s.getOutputStream().write("GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** What the server sends on {@code s} until it closes it; null when it is still open after {@code waitMs}. */
    private static String readUntilClosed(Socket s, int waitMs) throws IOException {
        s.setSoTimeout(waitMs);
        StringBuilder out = new StringBuilder();
        try (InputStream in = s.getInputStream()) {
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            // reset by the server: closed
        }
        return out.toString();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twelveHalfOpenConnectionsDoNotStallAnyoneElse() throws Exception {
        String base = start("annotate { threads = 8, server { header-timeout = 20s, max-connections-per-client = 64 } }");
        String token = store.accounts().create("alice", Role.ANNOTATOR);
        for (int i = 0; i < 12; i++) {
            halfOpen(ATTACKER);
        }
        Thread.sleep(300); // let the server take them all in
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            Reply me = AnnotateFixture.call(base, "GET", "/api/me", token, null, 5);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(200, me.status(), me.body().toString());
            assertTrue(seconds < 3, "a normal request took " + seconds + " s behind 12 half-open connections");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneAddressGetsAtMostItsShareAndUnfinishedHeadersAreCut() throws Exception {
        String base = start("annotate.server { header-timeout = 1s, max-connections-per-client = 4 }");
        String token = store.accounts().create("alice", Role.ANNOTATOR);
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(halfOpen(ATTACKER));
        }
        Thread.sleep(200);
        // the fifth from the same address is refused at once, saying why
        String refused = readUntilClosed(halfOpen(ATTACKER), 900);
        assertTrue(refused != null && refused.startsWith("HTTP/1.1 503") && refused.contains("too many connections from your address"),
                "a fifth connection from one address was not refused: " + refused);
        // another address is served meanwhile
        assertEquals(200, AnnotateFixture.call(base, "GET", "/api/me", token, null, 5).status());
        // the four whose headers never finished are closed after the header timeout (1 s)
        long t0 = System.nanoTime();
        for (Socket s : held) {
            assertTrue(readUntilClosed(s, 4000) != null, "a connection with unfinished headers stayed open");
        }
        assertTrue((System.nanoTime() - t0) / 1e9 < 4, "unfinished headers were not cut within the header timeout");
        // and the address may connect again
        Socket again = halfOpen(ATTACKER);
        again.getOutputStream().write(("Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        again.getOutputStream().flush();
        again.setSoTimeout(5000);
        byte[] head = again.getInputStream().readNBytes(12);
        assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSlowBodyIsCutAfterTheReadTimeoutAndHoldsNoRequestThread() throws Exception {
        String base = start("annotate { threads = 1, server { read-timeout = 1s } }");
        String token = store.accounts().create("alice", Role.ANNOTATOR);
        Socket slow = halfOpen(ATTACKER);
        slow.getOutputStream().write(("Authorization: Bearer " + token + "\r\nContent-Length: 100\r\n\r\n{\"categ")
                .getBytes(StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();
        assertEquals(200, AnnotateFixture.call(base, "GET", "/api/me", token, null, 5).status(),
                "the only request thread waited for a body that never came");
        assertTrue(readUntilClosed(slow, 4000) != null, "a body that never finished kept its connection open");
    }
}
