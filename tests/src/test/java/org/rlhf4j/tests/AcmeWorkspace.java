package org.rlhf4j.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temporary folder holding the built acme-rlhf plugin beside the distribution's four, and run files. */
final class AcmeWorkspace {

    final Path root;
    final Path plugins;

    private AcmeWorkspace(Path root, Path plugins) {
        this.root = root;
        this.plugins = plugins;
    }

    static AcmeWorkspace create(Path root) throws Exception {
        Path plugins = PluginsIT.copyDistPlugins(root);
        Path tree = PluginBuilder.sourceTree();
        PluginBuilder.build(tree, Files.createDirectories(root.resolve("build")), plugins.resolve("acme-rlhf-1.0.0.zip"),
                PluginBuilder.properties(tree));
        return new AcmeWorkspace(root, plugins);
    }

    /** Writes a run file named {@code name} and returns its path. */
    Path config(String name, String hocon) throws IOException {
        Path file = root.resolve(name);
        Files.writeString(file, hocon);
        return file;
    }

    /** Runs {@code rlhf <command> <args>} with this workspace's plugins folder. */
    Cli.Result rlhf(String command, String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "--plugins";
        all[1] = plugins.toString();
        all[2] = command;
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(root, all);
    }
}
