package org.rlhf4j.host.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of one run and the rules that make a killed run resumable:
 * <ul>
 *   <li>a stage writes under {@code .staging/<stage>/}, laid out like the run directory;</li>
 *   <li>when it returns, each file moves into place (an atomic rename) and {@code .stages/<stage>.done} is
 *       written last, itself through a rename; a stage is finished exactly when its marker exists;</li>
 *   <li>{@code .staging/<stage>/.resume/} holds a stage's in-progress checkpoints and is never published;</li>
 *   <li>one process at a time: {@code .lock} is held for the whole run.</li>
 * </ul>
 */
public final class RunDirectory implements AutoCloseable {

    static final String RESUME_DIR = ".resume";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating) the run directory and takes its lock, or fails naming the directory. */
    public static RunDirectory open(Path root) {
        try {
            if (!Files.exists(root)) {
                createPrivate(root);
            }
            Files.createDirectories(root.resolve(".stages"));
            FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                l = null; // held by this very JVM
            }
            if (l == null) {
                ch.close();
                throw new org.rlhf4j.api.stage.StageFailure("run directory " + root + " is in use by another rlhf process;"
                        + " wait for it to end, or give this run another run.name (or run.output)");
            }
            return new RunDirectory(root, ch, l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open run directory " + root, e);
        }
    }

    /**
     * Creates {@code root} readable by its owner only (rwx------ where the file system has POSIX permissions): a
     * run's files hold its config, its data and its checkpoints.
     */
    private static void createPrivate(Path root) throws IOException {
        Files.createDirectories(root.toAbsolutePath().getParent());
        try {
            if (root.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(root, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(root);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another process created it first: the lock below decides who runs
        }
    }

    public Path root() {
        return root;
    }

    public Path staging(String stage) {
        return root.resolve(".staging").resolve(stage);
    }

    public boolean isFinished(String stage) {
        return Files.exists(marker(stage));
    }

    /** The stages finished here, in the order they finished. */
    public List<String> finishedStages() {
        try (Stream<Path> s = Files.list(root.resolve(".stages"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".done"))
                    .sorted(Comparator.comparing(RunDirectory::modified))
                    .map(p -> p.getFileName().toString().replaceFirst("\\.done$", ""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves a stage's staged outputs into the run directory, then marks the stage finished. */
    public void publish(String stage) throws IOException {
        Path staging = staging(stage);
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(staging)) {
            Files.walkFileTree(staging, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.equals(staging.resolve(RESUME_DIR)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    files.add(file);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        for (Path file : files) {
            Path target = root.resolve(staging.relativize(file).toString());
            Files.createDirectories(target.getParent());
            move(file, target);
        }
        Path tmp = root.resolve(".stages").resolve(stage + ".done.tmp");
        Files.writeString(tmp, "{\"stage\":\"" + stage + "\",\"finished\":\"" + Instant.now() + "\",\"files\":" + files.size() + "}\n",
                StandardCharsets.UTF_8);
        move(tmp, marker(stage));
        deleteTree(staging);
    }

    /** Writes a file of the run directory itself (resolved config, reports) through a temporary name. */
    public void writeAtomically(String relative, String content) throws IOException {
        Path target = root.resolve(relative);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        move(tmp, target);
    }

    private Path marker(String stage) {
        return root.resolve(".stages").resolve(stage + ".done");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
