package org.rlhf4j.host.cli.annotate;

import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.Session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.Accounts;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.web.AnnotationServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rlhf annotate serve CONFIG} (the annotation web app) and {@code rlhf annotate account CONFIG NAME}
 * (an annotator or admin account and its token), on the store of the run the config describes; {@code export}
 * ({@link InterchangeCommands}) writes its labels in TRL's dataset layouts or its tasks as projects of other annotation
 * tools, and {@code import} reads those tools' exports back as labels.
 */
@Command(name = "annotate", mixinStandardHelpOptions = true,
        description = "Human work: serve the annotation web app, create annotator accounts, export labels in TRL's layouts,"
                + " exchange projects with Label Studio and Argilla.",
        footer = ExitCodes.HELP,
        subcommands = {AnnotateCommand.Serve.class, AnnotateCommand.Account.class, InterchangeCommands.Export.class,
                InterchangeCommands.Import.class})
public final class AnnotateCommand {

    @ParentCommand
    Cli cli;

    /** The config file and overrides both subcommands take. */
    static class ConfigArgs {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "The run file (HOCON): its run directory holds the store.")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable).")
        List<String> sets = new ArrayList<>();

        /** The store's JDBC URL, creating the run directory for SQLite. */
        static String url(Session session, AnnotateSettings settings) throws java.io.IOException {
            Path dir = session.runSettings().output();
            Files.createDirectories(dir);
            return settings.jdbcUrl(dir);
        }
    }

    /** The footer of {@code serve}: the exit codes, and which one a busy port or a refused setup gives. */
    static final String SERVE_FOOTER = ExitCodes.HELP + """

            A port in use (or an address that cannot be bound) exits 1, naming the port: set annotate.port or --port
            (0 picks a free one). Plain HTTP on an address other than loopback without annotate.tls.keystore or
            annotate.tls.terminated-by-proxy, or an unusable keystore, is a config error (3).""";

    /** {@code rlhf annotate serve CONFIG}. */
    @Command(name = "serve", mixinStandardHelpOptions = true, footer = SERVE_FOOTER,
            description = "Serve the annotation web app (annotate.host, annotate.port; HTTPS with annotate.tls.keystore)"
                    + " on the run's annotation store until stopped (Ctrl-C). The API is documented in docs/annotation-api.md.")
    static final class Serve extends ConfigArgs implements Callable<Integer> {
        @ParentCommand
        AnnotateCommand parent;

        @Option(names = "--port", paramLabel = "PORT", description = "Override annotate.port (0: any free port).")
        Integer port;

        @Option(names = "--host", paramLabel = "ADDRESS", description = "Override annotate.host.")
        String host;

        @Override
        public Integer call() throws Exception {
            try (Session session = Session.open(config, sets, parent.cli.pluginsDir())) {
                AnnotateSettings settings = AnnotateSettings.from(session.config.getConfig("annotate"));
                CountDownLatch stopped = new CountDownLatch(1);
                String address = host != null ? host : settings.host();
                int listen = port != null ? port : settings.port();
                try (AnnotationStore store = AnnotationStore.open(url(session, settings));
                     AnnotationServer server = bind(store, settings, address, listen)) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        server.close();
                        stopped.countDown();
                    }, "annotate-shutdown"));
                    System.out.println("annotate: serving " + server.url() + " (store " + store.url() + ")");
                    System.out.flush();
                    stopped.await();
                }
                return ExitCodes.OK;
            }
        }

        /** Starts the server; a port in use or an address that cannot be bound is a StageFailure (exit 1) naming it. */
        private static AnnotationServer bind(AnnotationStore store, AnnotateSettings settings, String address, int listen)
                throws java.io.IOException {
            try {
                return AnnotationServer.start(store, settings, address, listen);
            } catch (java.net.BindException e) {
                throw new StageFailure("annotate serve: port " + listen + " on " + address + " is in use or cannot be bound ("
                        + (e.getCause() != null ? e.getCause() : e).getMessage() + "): set annotate.port or --port (0 picks a free one), or stop what"
                        + " listens there");
            } catch (java.net.UnknownHostException e) {
                throw new StageFailure("annotate serve: unknown address '" + address + "': set annotate.host or --host");
            }
        }
    }

    /** {@code rlhf annotate account CONFIG NAME [--admin | --rotate | --revoke]}. */
    @Command(name = "account", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Create an annotator (or, with --admin, an admin) account and print its token, once; or give an"
                    + " account a new token (--rotate, every earlier one stops working), or revoke all its tokens (--revoke).")
    static final class Account extends ConfigArgs implements Callable<Integer> {
        @ParentCommand
        AnnotateCommand parent;

        @Parameters(index = "1", paramLabel = "NAME", description = "The account name (letters, digits, . _ -).")
        String name;

        @Option(names = "--admin", description = "An admin: sees progress and quality, reviews flagged tasks.")
        boolean admin;

        @Option(names = "--rotate", description = "A new token for an existing account; its earlier tokens are revoked.")
        boolean rotate;

        @Option(names = "--revoke", description = "Revoke every token of an existing account (its labels stay; --rotate lets it in again).")
        boolean revoke;

        @Override
        public Integer call() throws Exception {
            if ((admin ? 1 : 0) + (rotate ? 1 : 0) + (revoke ? 1 : 0) > 1) {
                System.err.println("error: --admin, --rotate and --revoke exclude each other");
                return ExitCodes.USAGE;
            }
            try (Session session = Session.open(config, sets, parent.cli.pluginsDir())) {
                AnnotateSettings settings = AnnotateSettings.from(session.config.getConfig("annotate"));
                try (AnnotationStore store = AnnotationStore.open(url(session, settings))) {
                    if (revoke) {
                        int n = store.accounts().revoke(name, "cli");
                        System.err.println("account " + name + ": " + n + " token(s) revoked in " + store.url());
                        return ExitCodes.OK;
                    }
                    String token = rotate ? store.accounts().rotate(name, "cli")
                            : store.accounts().create(name, admin ? Accounts.Role.ADMIN : Accounts.Role.ANNOTATOR);
                    System.out.println(token);
                    System.err.println("account " + name + (admin ? " (admin)" : "") + (rotate ? " has a new token" : " created")
                            + " in " + store.url() + "; the token above is shown only now" + (rotate ? ", earlier ones are revoked" : ""));
                    return ExitCodes.OK;
                } catch (IllegalArgumentException e) {
                    System.err.println("error: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
            }
        }
    }
}
