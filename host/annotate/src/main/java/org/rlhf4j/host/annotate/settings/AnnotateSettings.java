package org.rlhf4j.host.annotate.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.file.Path;
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
 */
public record AnnotateSettings(String database, String host, int port, int threads, int overlap, String preRanker,
                               List<TaskFile> tasks, List<String> flags, InstructionCheck instructionCheck,
                               StepCheck stepCheck, double goldMinAgreement, int minGoldLabels, Set<String> exclude,
                               Aggregate aggregate, boolean excludeMissingSteps, String instructionsJson) {

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
                settings.getValue("instructions").render(ConfigRenderOptions.concise().setJson(true)));
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
