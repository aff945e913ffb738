package org.rlhf4j.host.annotate.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.annotate.quality.InstructionCheck;
import org.rlhf4j.host.annotate.quality.StepCheck;

/**
 * The {@code annotate} block (host/annotate reference.conf): the store, the web app, the task files, screening,
 * label quality and exports.
 *
 * @param database the JDBC URL, or empty for SQLite in the run directory
 * @param instructionsJson the labelling instructions, as the JSON the web app shows
 * @param server the web app's time and connection limits
 * @param tls HTTPS, or the word that a reverse proxy terminates it
 * @param ranks which rankings a person may submit
 */
public record AnnotateSettings(String database, String host, int port, int threads, int overlap, String preRanker,
                               List<TaskFile> tasks, List<String> flags, InstructionCheck instructionCheck,
                               StepCheck stepCheck, double goldMinAgreement, int minGoldLabels, Set<String> exclude,
                               Aggregate aggregate, boolean excludeMissingSteps, String instructionsJson,
                               Server server, Tls tls, Ranks ranks) {

    /**
     * The web app's limits ({@code annotate.server}).
     *
     * @param headerTimeout the request line and headers must arrive within it
     * @param readTimeout a request's body must arrive, and its answer be taken, within it
     * @param idleTimeout a kept-alive connection without a new request is closed after it
     */
    public record Server(Duration headerTimeout, Duration readTimeout, Duration idleTimeout, int maxConnections,
                         int maxConnectionsPerClient) {
    }

    /**
     * HTTPS ({@code annotate.tls}).
     *
     * @param keystore a PKCS12 or JKS keystore holding the server's key and certificate; null: plain HTTP
     * @param passwordEnv the environment variable holding the keystore's password
     * @param terminatedByProxy a reverse proxy in front terminates TLS, so plain HTTP may listen off loopback
     */
    public record Tls(Path keystore, String passwordEnv, boolean terminatedByProxy) {
    }

    /**
     * Which rankings the API accepts ({@code annotate.ranks}).
     *
     * @param allowGaps accept ranks that skip a number ([1, 3, 3]) instead of only 1, 2, 3 ... with ties sharing one
     * @param allowAllTied accept a ranking of rank or safety answers that ties them all
     */
    public record Ranks(boolean allowGaps, boolean allowAllTied) {
    }

    /** The label flags an export may leave out. */
    public static final Set<String> EXCLUDABLE = Set.of("contradictory", "gold-disagreement", "unreliable-annotator");

    /** How several people's rankings of one prompt become preference pairs. */
    public enum Aggregate { MEAN_RANK, PER_LABEL }

    /** The formats of task files. */
    public enum Format { RANKINGS, SAFETY, COMPARE, EDIT, RECORDS }

    /**
     * One task file: a path, or an earlier stage's output in the run directory ({@code input}).
     *
     * @param labelled import the labels the file carries as given
     */
    public record TaskFile(Path path, String input, Format format, boolean labelled) {
        /** How the file is named in messages. */
        public String describe() {
            return path != null ? path.toString() : input;
        }
    }

    /** Reads {@code settings}, the {@code annotate} block, failing with the key on a bad value. */
    public static AnnotateSettings from(Config settings) {
        int port = settings.getInt("port");
        if (port < 0 || port > 65535) {
            throw new ConfigProblem(settings, "port", "must be 0 (any free port) to 65535, got " + port);
        }
        int threads = settings.getInt("threads");
        if (threads < 1) {
            throw new ConfigProblem(settings, "threads", "must be 1 or more, got " + threads);
        }
        int overlap = settings.getInt("overlap");
        if (overlap < 1) {
            throw new ConfigProblem(settings, "overlap", "every item needs at least 1 annotator, got " + overlap);
        }
        List<String> flags = settings.getStringList("flags");
        if (flags.isEmpty() || flags.stream().anyMatch(f -> !f.matches("[a-z0-9]+(-[a-z0-9]+)*"))) {
            throw new ConfigProblem(settings, "flags", "flags are lower-case words joined by dashes, at least one: " + flags);
        }
        double gold = settings.getDouble("quality.gold-min-agreement");
        if (gold < 0 || gold > 1) {
            throw new ConfigProblem(settings, "quality.gold-min-agreement", "must be within 0..1, got " + gold);
        }
        Set<String> exclude = Set.copyOf(settings.getStringList("export.exclude"));
        if (!EXCLUDABLE.containsAll(exclude)) {
            throw new ConfigProblem(settings, "export.exclude", "known flags: " + EXCLUDABLE + ", got " + exclude);
        }
        Aggregate aggregate = parse(settings, "export.aggregate", Aggregate.class);
        int minSteps = settings.getInt("steps.min-steps");
        if (minSteps < 1) {
            throw new ConfigProblem(settings, "steps.min-steps", "must be 1 or more, got " + minSteps);
        }
        StepCheck steps = new StepCheck(regex(settings, "steps.prompt-pattern"), regex(settings, "steps.step-pattern"), minSteps);
        return new AnnotateSettings(settings.getString("database"), settings.getString("host"), port, threads, overlap,
                settings.getString("pre-ranker"), taskFiles(settings), List.copyOf(flags),
                InstructionCheck.from(settings, "screening.instruction-rules"), steps, gold,
                settings.getInt("quality.min-gold-labels"), exclude, aggregate, settings.getBoolean("export.exclude-missing-steps"),
                settings.getValue("instructions").render(ConfigRenderOptions.concise().setJson(true)),
                server(settings), tls(settings), new Ranks(settings.getBoolean("ranks.allow-gaps"),
                settings.getBoolean("ranks.allow-all-tied")));
    }

    private static Server server(Config settings) {
        Duration header = positive(settings, "server.header-timeout");
        Duration read = positive(settings, "server.read-timeout");
        Duration idle = positive(settings, "server.idle-timeout");
        int max = settings.getInt("server.max-connections");
        int perClient = settings.getInt("server.max-connections-per-client");
        if (max < 1 || perClient < 1 || perClient > max) {
            throw new ConfigProblem(settings, "server.max-connections-per-client", "need 1 <= max-connections-per-client"
                    + " <= max-connections, got " + perClient + " and " + max);
        }
        return new Server(header, read, idle, max, perClient);
    }

    private static Duration positive(Config settings, String key) {
        Duration d = settings.getDuration(key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigProblem(settings, key, "must be longer than 0s, got " + d);
        }
        return d;
    }

    private static Tls tls(Config settings) {
        String keystore = settings.getString("tls.keystore");
        String env = settings.getString("tls.password-env");
        if (!keystore.isBlank() && env.isBlank()) {
            throw new ConfigProblem(settings, "tls.password-env", "name the environment variable that holds the keystore's password");
        }
        return new Tls(keystore.isBlank() ? null : Path.of(keystore), env, settings.getBoolean("tls.terminated-by-proxy"));
    }

    /** The JDBC URL of the store: {@code database}, or SQLite's annotations.db in {@code runDirectory}. */
    public String jdbcUrl(Path runDirectory) {
        if (!database.isBlank()) {
            return database;
        }
        return "jdbc:sqlite:" + runDirectory.toAbsolutePath().resolve("annotations.db");
    }

    private static List<TaskFile> taskFiles(Config settings) {
        List<TaskFile> out = new ArrayList<>();
        List<? extends Config> list = settings.getConfigList("tasks");
        for (int i = 0; i < list.size(); i++) {
            Config t = list.get(i);
            boolean hasPath = t.hasPath("path");
            if (hasPath == t.hasPath("input")) {
                throw new ConfigProblem(settings, "tasks", "entry " + i + " needs either path (a file) or input"
                        + " (a run-directory output such as data/classified.jsonl), not both or neither");
            }
            if (!t.hasPath("format")) {
                throw new ConfigProblem(settings, "tasks", "entry " + i + " needs a format: rankings, safety, compare, edit or records");
            }
            Format format;
            try {
                format = Format.valueOf(t.getString("format").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(settings, "tasks", "entry " + i + ": unknown format '" + t.getString("format")
                        + "' (rankings, safety, compare, edit or records)");
            }
            out.add(new TaskFile(hasPath ? Path.of(t.getString("path")) : null, hasPath ? null : t.getString("input"),
                    format, t.hasPath("labelled") && t.getBoolean("labelled")));
        }
        return List.copyOf(out);
    }

    /** Compiles the case-insensitive regex at {@code key}, failing with the key when it does not compile. */
    public static Pattern regex(Config settings, String key) {
        try {
            return Pattern.compile(settings.getString(key), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new ConfigProblem(settings, key, "not a valid regular expression: " + e.getDescription());
        }
    }

    private static <E extends Enum<E>> E parse(Config settings, String key, Class<E> type) {
        String value = settings.getString(key);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                known.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new ConfigProblem(settings, key, "must be one of " + known + ", got '" + value + "'");
        }
    }
}
