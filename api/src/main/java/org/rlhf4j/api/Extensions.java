package org.rlhf4j.api;

import java.util.List;
import java.util.SortedSet;
import org.pf4j.ExtensionPoint;

/**
 * Creates extensions by the names a config gives, through the host's Guice injector, so each one
 * gets its {@link Settings} and host services injected.
 *
 * <p>Injectable anywhere: a stage uses it to build the extensions it is configured with. Every call
 * creates a new instance. An unknown name throws {@link ConfigProblem} naming the config key, the
 * file and line it was set at, and the names known for that extension point.
 *
 * @since 0.1.0
 */
public interface Extensions {

    /** Creates the extension of {@code point} whose name is the string at {@code configKey}. */
    <T extends ExtensionPoint> T select(Class<T> point, String configKey);

    /**
     * Creates the extension of {@code point} named by {@code key} of an extension's own {@code settings}
     * (e.g. a stage's {@code loss}); errors name the key with the settings' origin.
     */
    <T extends ExtensionPoint> T select(Class<T> point, com.typesafe.config.Config settings, String key);

    /**
     * Creates one extension per name in the string list at {@code configKey}, in order. An entry
     * {@code name#label} is one more instance of extension {@code name}, told apart by its label (a stage
     * sees the whole entry as its {@link org.rlhf4j.api.stage.StageContext#stage()}, e.g. {@code evaluate#sft}).
     */
    <T extends ExtensionPoint> List<T> selectAll(Class<T> point, String configKey);

    /** Creates the extension of {@code point} called {@code name} (not read from config). */
    <T extends ExtensionPoint> T create(Class<T> point, String name);

    /** The names known for {@code point}: built-ins and those of every loaded plugin. */
    SortedSet<String> names(Class<? extends ExtensionPoint> point);
}
