package org.rlhf4j.host.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.rlhf4j.host.metrics.tensorboard.TensorBoardSinkFactory;
import org.rlhf4j.host.run.RunDirectory;

/**
 * Gives a variant's run directory the outputs of the shared stages, with those stages marked finished, so that
 * {@code rlhf run --resume} in it starts at the first stage of its own.
 *
 * <p>Files are hard links where the file system allows (else copies): stages publish by renaming over a file,
 * never by writing into it, so a variant cannot change the shared copy. Not carried: the shared run's
 * {@code metrics.jsonl} and {@code tensorboard/} event files (a variant's metrics hold only what it ran), its {@code config.resolved.conf}, lock and
 * staging. Copied, never linked: SQLite databases ({@code *.db*}: the annotation store is written in place).
 * The finished markers are written last, so a comparison killed half-way through linking links again.
 */
final class SharedOutputs {

    private static final Set<String> NOT_CARRIED = Set.of(".lock", ".staging", ".stages", "metrics.jsonl", TensorBoardSinkFactory.FOLDER,
            "config.resolved.conf");

    /** Files linked and copied. */
    record Carried(int linked, int copied) {
    }

    private SharedOutputs() {
    }

    /** True when every shared stage is already marked finished in the variant's directory. */
    static boolean carried(Path variant, List<String> stages) {
        return stages.stream().allMatch(s -> Files.exists(marker(variant, s)));
    }

    static Carried carry(Path shared, Path variant, List<String> stages) throws IOException {
        int linked = 0;
        int copied = 0;
        try (RunDirectory ignored = RunDirectory.open(variant); Stream<Path> files = Files.walk(shared)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = shared.relativize(file);
                if (NOT_CARRIED.contains(relative.getName(0).toString())) {
                    continue;
                }
                Path target = variant.resolve(relative.toString());
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                if (!relative.getFileName().toString().matches(".*\\.db(-.*)?$") && link(target, file)) {
                    linked++;
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    copied++;
                }
            }
            for (String stage : stages) {
                Path tmp = marker(variant, stage).resolveSibling(stage + ".done.tmp");
                Files.copy(marker(shared, stage), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, marker(variant, stage), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return new Carried(linked, copied);
    }

    private static boolean link(Path target, Path existing) {
        try {
            Files.createLink(target, existing);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // another file system, or no hard links here: copy
        }
    }

    private static Path marker(Path run, String stage) {
        return run.resolve(".stages").resolve(stage + ".done");
    }
}
