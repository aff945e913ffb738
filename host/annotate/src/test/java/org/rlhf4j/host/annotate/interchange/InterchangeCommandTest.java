package org.rlhf4j.host.annotate.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.host.annotate.AnnotateMain;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.annotate.AnnotateCommand;

/** {@code rlhf annotate export} and {@code import} on a run's store; a malformed file exits 1 naming it. */
class InterchangeCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private static Run rlhf(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Run(Cli.execute(AnnotateMain.class, List.of(AnnotateCommand::new), args), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void exportAndImportFromTheCommandLine() throws Exception {
        Path conf = dir.resolve("run.conf");
        Files.writeString(conf, "run { name = x, output = \"" + dir.resolve("run") + "\" }\nannotate { }\n");
        Files.createDirectories(dir.resolve("run"));
        try (AnnotationStore store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("run/annotations.db"))) {
            store.tasks().put(new AnnotationTask("r1", AnnotationTask.Kind.RANK, "p", List.of("a", "b"), Map.of()), null, 0);
            store.tasks().setStatus("r1", Status.QUEUED, "test", "");
        }
        Run export = rlhf("annotate", "export", conf.toString(), "--format", "label-studio", "--out", dir.resolve("out").toString());
        assertEquals(ExitCodes.OK, export.code(), export.err());
        assertTrue(export.err().contains("rank-2 (1 task(s))"), export.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/rank-2/config.xml")));

        Run imported = rlhf("annotate", "import", conf.toString(), InterchangeImportTest.sample("label-studio-ranker.json").toString(),
                "--from", "label-studio", "--annotator", "12=alice");
        assertEquals(ExitCodes.OK, imported.code(), imported.err());
        assertTrue(imported.err().contains("2 label(s) stored") && imported.err().contains("alice"), imported.err());

        Path bad = InterchangeImportTest.sample("argilla-unknown-question.jsonl");
        Run failed = rlhf("annotate", "import", conf.toString(), bad.toString(), "--from", "argilla");
        assertEquals(ExitCodes.STAGE_FAILED, failed.code(), failed.err());
        assertTrue(failed.err().contains(bad + ": record 1 (id j-2)"), failed.err());
        assertFalse(failed.err().contains("\tat "), "a stack trace: " + failed.err());

        Run usage = rlhf("annotate", "import", conf.toString(), bad.toString(), "--from", "prodigy");
        assertEquals(ExitCodes.USAGE, usage.code(), usage.err());
    }
}
