package org.rlhf4j.host.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;

/**
 * A folder of source code repositories, one DOCUMENT per source file, with the repository's license
 * attached so the privacy filter can decide what may be trained on.
 *
 * <p>Each direct subfolder of {@code path} is a repository (or {@code path} itself when it holds a
 * LICENSE file). Meta: {@code repository}, {@code path}, {@code language} (by extension), {@code license}
 * (SPDX id of the repository's LICENSE/COPYING file by {@link LicenseDetector}, {@code none} without one),
 * {@code private} ({@code true} when the repository has a {@code .private} marker file or a package.json
 * with {@code "private": true}). Only files whose extension is in {@code extensions} are read.
 */
@Extension
@ExtensionName("code-folder")
public final class CodeFolderSource implements DataSource {

    private static final List<String> LICENSE_FILES = List.of("LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING", "LICENCE");

    private static final Map<String, String> LANGUAGES = Map.ofEntries(
            Map.entry("java", "java"), Map.entry("py", "python"), Map.entry("js", "javascript"),
            Map.entry("ts", "typescript"), Map.entry("go", "go"), Map.entry("rs", "rust"), Map.entry("c", "c"),
            Map.entry("h", "c"), Map.entry("cc", "cpp"), Map.entry("cpp", "cpp"), Map.entry("hpp", "cpp"),
            Map.entry("rb", "ruby"), Map.entry("php", "php"), Map.entry("kt", "kotlin"), Map.entry("scala", "scala"),
            Map.entry("sh", "shell"), Map.entry("sql", "sql"), Map.entry("cs", "csharp"), Map.entry("swift", "swift"),
            Map.entry("yaml", "yaml"), Map.entry("yml", "yaml"), Map.entry("json", "json"), Map.entry("toml", "toml"),
            Map.entry("md", "markdown"), Map.entry("properties", "properties"), Map.entry("env", "dotenv"));

    @Override
    public SourceStream open(Config spec) throws IOException {
        SourceSpec s = SourceSpec.from(spec);
        Set<String> extensions = spec.hasPath("extensions") ? Set.copyOf(spec.getStringList("extensions")) : LANGUAGES.keySet();
        long maxBytes = spec.hasPath("max-bytes") ? spec.getBytes("max-bytes") : 1L << 20;
        return new CodeFiles(s, extensions, maxBytes);
    }

    /** What a repository's root says about it: license and privacy. */
    private record RepoInfo(String name, String license, boolean isPrivate) {
    }

    private static final class CodeFiles extends FileSequenceStream {
        private final Set<String> extensions;
        private final long maxBytes;
        private final Map<Path, RepoInfo> repos = new HashMap<>();
        private boolean done;

        CodeFiles(SourceSpec spec, Set<String> extensions, long maxBytes) throws IOException {
            super(spec);
            this.extensions = extensions;
            this.maxBytes = maxBytes;
        }

        @Override
        protected void openFile(Path file) {
            done = false;
        }

        @Override
        protected Record readRecord() throws IOException {
            if (done) {
                return null;
            }
            done = true;
            Path file = currentFile();
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (!extensions.contains(ext) || LICENSE_FILES.contains(name) || name.equals("package.json")) {
                return null;
            }
            String text;
            try {
                text = TextFolderSource.readUtf8(file, maxBytes);
            } catch (CharacterCodingException e) {
                malformed.report(fileName(), 0, "not UTF-8 text (binary file?)");
                return null;
            } catch (IOException e) {
                malformed.report(fileName(), 0, e.getMessage());
                return null;
            }
            RepoInfo repo = repoOf(file);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "code");
            meta.put("repository", repo.name());
            meta.put("path", fileName());
            meta.put("language", LANGUAGES.getOrDefault(ext, ext));
            meta.put("license", repo.license());
            meta.put("private", String.valueOf(repo.isPrivate()));
            return Record.document(spec.name() + ":" + fileName(), text, meta, provenance(0));
        }

        private RepoInfo repoOf(Path file) throws IOException {
            Path root = spec.path();
            Path repoRoot = hasLicense(root) || file.getParent().equals(root) ? root : root.resolve(root.relativize(file).getName(0));
            RepoInfo cached = repos.get(repoRoot);
            if (cached != null) {
                return cached;
            }
            String license = "none";
            for (String l : LICENSE_FILES) {
                Path p = repoRoot.resolve(l);
                if (Files.isRegularFile(p)) {
                    license = LicenseDetector.detect(Files.readString(p));
                    break;
                }
            }
            boolean priv = Files.exists(repoRoot.resolve(".private"));
            Path pkg = repoRoot.resolve("package.json");
            if (!priv && Files.isRegularFile(pkg)) {
                JsonNode n = JsonStream.JSON.readTree(pkg.toFile());
                priv = n.path("private").asBoolean(false);
            }
            RepoInfo info = new RepoInfo(repoRoot.getFileName().toString(), license, priv);
            repos.put(repoRoot, info);
            return info;
        }

        private static boolean hasLicense(Path dir) {
            return LICENSE_FILES.stream().anyMatch(l -> Files.isRegularFile(dir.resolve(l)));
        }

        @Override
        protected void closeFile() {
        }
    }
}
