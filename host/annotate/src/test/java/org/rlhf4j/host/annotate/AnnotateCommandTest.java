package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.annotate.AnnotateCommand;

/**
 * {@code rlhf annotate serve} names a busy port and exits 1; a refused clear-text address is a config error (3);
 * {@code rlhf annotate account} rotates and revokes tokens.
 */
class AnnotateCommandTest {

    @TempDir
    Path dir;

    /** Runs rlhf with the annotate commands in this JVM; exit code, stdout and stderr. */
    private record Run(int code, String out, String err) {
    }

    private static Run rlhf(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Cli.execute(AnnotateMain.class, List.of(AnnotateCommand::new), args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private Path conf(String annotate) throws Exception {
        Path conf = dir.resolve("serve.conf");
        Files.writeString(conf, "run { name = serve, output = \"" + dir.resolve("run") + "\" }\nannotate { " + annotate + " }\n");
        return conf;
    }

    @Test
    void aBusyPortIsNamedAndExitsOne() throws Exception {
        Path conf = conf("");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run r = rlhf("annotate", "serve", conf.toString(), "--port", String.valueOf(busy.getLocalPort()));
            assertEquals(ExitCodes.STAGE_FAILED, r.code(), r.err());
            assertTrue(r.err().contains("port " + busy.getLocalPort() + " on 127.0.0.1 is in use")
                    && r.err().contains("set annotate.port or --port"), r.err());
            assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), "a stack trace: " + r.err());
        }
        Run help = rlhf("annotate", "serve", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("A port in use (or an address that cannot be bound) exits 1"), help.out());
    }

    @Test
    void clearTextOffLoopbackIsAConfigError() throws Exception {
        Run r = rlhf("annotate", "serve", conf("").toString(), "--host", "0.0.0.0", "--port", "0");
        assertEquals(ExitCodes.CONFIG, r.code(), r.err());
        assertTrue(r.err().contains("is not a loopback address"), r.err());
    }

    @Test
    void accountTokensAreRotatedAndRevokedFromTheCommandLine() throws Exception {
        Path conf = conf("");
        Run created = rlhf("annotate", "account", conf.toString(), "alice");
        assertEquals(0, created.code(), created.err());
        String first = created.out().trim();
        Run rotated = rlhf("annotate", "account", conf.toString(), "alice", "--rotate");
        assertEquals(0, rotated.code(), rotated.err());
        String second = rotated.out().trim();
        try (org.rlhf4j.host.annotate.store.AnnotationStore store = org.rlhf4j.host.annotate.store.AnnotationStore.open(
                "jdbc:sqlite:" + dir.resolve("run/annotations.db"))) {
            assertTrue(store.accounts().authenticate(first).isEmpty(), "the rotated-out token still works");
            assertEquals("alice", store.accounts().authenticate(second).orElseThrow().name());
        }
        Run revoked = rlhf("annotate", "account", conf.toString(), "alice", "--revoke");
        assertEquals(0, revoked.code(), revoked.err());
        assertTrue(revoked.err().contains("1 token(s) revoked"), revoked.err());
        try (org.rlhf4j.host.annotate.store.AnnotationStore store = org.rlhf4j.host.annotate.store.AnnotationStore.open(
                "jdbc:sqlite:" + dir.resolve("run/annotations.db"))) {
            assertTrue(store.accounts().authenticate(second).isEmpty());
        }
        assertEquals(ExitCodes.USAGE, rlhf("annotate", "account", conf.toString(), "nobody", "--rotate").code());
        assertEquals(ExitCodes.USAGE, rlhf("annotate", "account", conf.toString(), "alice", "--rotate", "--revoke").code());
    }
}
