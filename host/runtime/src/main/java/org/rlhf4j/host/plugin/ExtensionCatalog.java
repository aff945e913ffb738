package org.rlhf4j.host.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.pf4j.ExtensionPoint;
import org.pf4j.PluginWrapper;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.MetricsSinkFactory;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.api.ppo.KlController;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.ppo.SafetyConstraint;
import org.rlhf4j.api.reward.PolicyPreferenceLoss;
import org.rlhf4j.api.reward.PreferenceLoss;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.api.stage.Stage;

/**
 * Every extension the host can create, by extension point and name: the host's built-ins (found in
 * its own {@code META-INF/extensions.idx}) and those of each started plugin.
 *
 * <p>Built once at start-up (PF4J's extension lists are not cached, docs/pitfalls.md). A plugin whose
 * extensions break the naming rules, or do not link against this api, is marked failed and left out,
 * with the reason; the others stay.
 */
public final class ExtensionCatalog {

    /** The extension points of the api, in the order {@code rlhf plugins} lists them. */
    public static final List<Class<? extends ExtensionPoint>> POINTS = List.of(
            Stage.class, DataSource.class, RecordFilter.class, Annotator.class, RewardModel.class,
            PreferenceLoss.class, PolicyPreferenceLoss.class, PpoScheduler.class, KlController.class, SafetyConstraint.class,
            MetricsSinkFactory.class);

    private static final String INDEX = "META-INF/extensions.idx";

    private static final Pattern WORDS = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** One creatable extension. {@code pluginId} is null for a built-in. */
    public record Entry(Class<? extends ExtensionPoint> point, String name, Class<?> type, String pluginId) {
    }

    private final Map<Class<?>, Map<String, Entry>> byPoint = new LinkedHashMap<>();
    /** Plugin short name (the prefix of its extension names) to plugin id. */
    private final Map<String, String> prefixes = new HashMap<>();

    private ExtensionCatalog() {
        for (Class<?> p : POINTS) {
            byPoint.put(p, new TreeMap<>());
        }
    }

    /** Scans the host and every started plugin of {@code host}. */
    public static ExtensionCatalog scan(PluginHost host) {
        ExtensionCatalog catalog = new ExtensionCatalog();
        // Plugins first, one at a time, so a broken one can be dropped as a whole.
        for (PluginWrapper w : List.copyOf(host.manager().getStartedPlugins())) {
            String problem = catalog.checkPlugin(host, w);
            if (problem != null) {
                host.failStarted(w.getPluginId(), problem);
            }
        }
        for (Class<? extends ExtensionPoint> point : POINTS) {
            for (Class<?> type : host.manager().getExtensionClasses(point)) {
                PluginWrapper owner = host.manager().whichPlugin(type);
                String pluginId = owner == null ? null : owner.getPluginId();
                String name = nameOf(type);
                if (pluginId == null) {
                    String problem = checkBuiltInName(type, name);
                    if (problem != null) {
                        throw new IllegalStateException(problem);
                    }
                }
                catalog.byPoint.get(point).putIfAbsent(name, new Entry(point, name, type, pluginId));
            }
        }
        return catalog;
    }

    /** Checks one plugin's extensions: they load, carry a valid name with one shared prefix, clash with nothing. */
    private String checkPlugin(PluginHost host, PluginWrapper w) {
        String id = w.getPluginId();
        String prefix = null;
        Map<String, String> seen = new HashMap<>();
        // Only the plugin's own index counts: its class loader also sees the host's (built-ins) through its parent.
        ClassLoader loader = w.getPluginClassLoader();
        boolean indexed = loader instanceof java.net.URLClassLoader u ? u.findResource(INDEX) != null : loader.getResource(INDEX) != null;
        if (!indexed) {
            return "it has no extensions: its jar has no " + INDEX + " (PF4J's annotation processor did not run;"
                    + " put org.pf4j:pf4j on the compiler's annotationProcessorPaths, and annotate each extension with @Extension)";
        }
        int own = 0;
        for (String className : host.manager().getExtensionClassNames(id)) {
            Class<?> type;
            try {
                type = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return "extension class " + className + " cannot be loaded (" + PluginHost.rootMessage(e)
                        + "); was it built against another rlhf4j api?";
            }
            if (type.getClassLoader() != loader) {
                continue; // a host class, listed by the host's index
            }
            own++;
            ExtensionName ann = type.getAnnotation(ExtensionName.class);
            if (ann == null) {
                return "extension class " + className + " has no @ExtensionName";
            }
            String name = ann.value();
            int dot = name.indexOf('.');
            if (dot <= 0 || !validWords(name.substring(0, dot)) || !validDotted(name.substring(dot + 1))) {
                return "extension name '" + name + "' of " + className
                        + " must be <plugin short name>.<name> in lower-case words joined by dashes";
            }
            String p = name.substring(0, dot);
            if (prefix != null && !prefix.equals(p)) {
                return "its extensions use two prefixes, '" + prefix + ".' and '" + p + ".'; a plugin has one short name";
            }
            prefix = p;
            if (prefixes.containsKey(p)) {
                return "its prefix '" + p + ".' is already used by plugin " + prefixes.get(p);
            }
            boolean isPoint = POINTS.stream().anyMatch(pt -> pt.isAssignableFrom(type));
            if (!isPoint) {
                return "extension class " + className + " implements none of the extension points "
                        + POINTS.stream().map(Class::getSimpleName).toList();
            }
            for (Class<? extends ExtensionPoint> pt : POINTS) {
                if (pt.isAssignableFrom(type) && seen.put(pt.getSimpleName() + "/" + name, className) != null) {
                    return "two " + pt.getSimpleName() + " extensions are named '" + name + "'";
                }
            }
        }
        if (own == 0) {
            return "it has no extensions (its " + INDEX + " lists none of its own classes)";
        }
        prefixes.put(prefix, id);
        return null;
    }

    private static String checkBuiltInName(Class<?> type, String name) {
        if (name == null) {
            return "built-in extension " + type.getName() + " has no @ExtensionName";
        }
        if (!validWords(name)) {
            return "built-in extension name '" + name + "' of " + type.getName() + " must be bare lower-case words joined by dashes";
        }
        return null;
    }

    private static boolean validWords(String s) {
        return WORDS.matcher(s).matches();
    }

    private static boolean validDotted(String s) {
        for (String part : s.split("\\.", -1)) {
            if (!validWords(part)) {
                return false;
            }
        }
        return true;
    }

    private static String nameOf(Class<?> type) {
        ExtensionName ann = type.getAnnotation(ExtensionName.class);
        return ann == null ? null : ann.value();
    }

    /** The extension of {@code point} called {@code name}, if any. */
    public Optional<Entry> find(Class<?> point, String name) {
        return Optional.ofNullable(byPoint.getOrDefault(point, Map.of()).get(name));
    }

    /** The names known for {@code point}, sorted. */
    public SortedSet<String> names(Class<?> point) {
        return new TreeSet<>(byPoint.getOrDefault(point, Map.of()).keySet());
    }

    /** Every extension, grouped by point in {@link #POINTS} order, then by name. */
    public List<Entry> all() {
        List<Entry> result = new ArrayList<>();
        for (Map<String, Entry> m : byPoint.values()) {
            result.addAll(m.values());
        }
        result.sort(Comparator.comparingInt((Entry e) -> POINTS.indexOf(e.point())).thenComparing(Entry::name));
        return result;
    }
}
