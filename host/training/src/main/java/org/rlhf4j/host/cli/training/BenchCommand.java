package org.rlhf4j.host.cli.training;

import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.data.BenchDataCommand;

import ai.djl.Device;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.rlhf4j.host.wiring.DeviceResolver;
import org.rlhf4j.host.wiring.EngineThreads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rlhf bench}: measurements that print figures (never timed tests). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures: training throughput and quality, generation speed.",
        footer = ExitCodes.HELP,
        subcommands = {BenchPpoCommand.class, BenchTrainCommand.class, BenchGenerateCommand.class, BenchDataCommand.class,
                BenchBatchCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The engine options the model benchmarks share: {@code --threads} and {@code --device}. */
    static final class EngineOptions {
        @Option(names = "--threads", description = "Intra-op threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
        int threads = 0;

        @Option(names = "--device", description = "auto | cpu | gpu | gpu:N (default: ${DEFAULT-VALUE}).")
        String device = "auto";

        /** Starts the engine with these options; see {@link #startEngine}. */
        Device start() {
            return startEngine(threads, device);
        }
    }

    /** Sets the engine's threads before it starts (they are read once) and resolves the device. */
    static Device startEngine(int threads, String device) {
        EngineThreads.configure(threads);
        return DeviceResolver.resolve(ConfigFactory.parseMap(Map.of("run.device", device)));
    }

    /** The median of some values (sorted copy). */
    static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
