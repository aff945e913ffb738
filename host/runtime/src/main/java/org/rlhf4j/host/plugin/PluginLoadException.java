package org.rlhf4j.host.plugin;

/** A plugin problem that stops the command: a selected extension's plugin failed to load, an unreadable folder. */
public class PluginLoadException extends RuntimeException {

    public PluginLoadException(String message) {
        super(message);
    }
}
