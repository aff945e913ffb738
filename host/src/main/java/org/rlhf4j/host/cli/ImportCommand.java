package org.rlhf4j.host.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.host.model.HfCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rlhf import HF_DIR OUT}: a Hugging Face GPT-2 folder (any size; safetensors in F32, F16 or BF16)
 * as an rlhf4j checkpoint, which {@code sft.init = /abs/path/OUT} fine-tunes.
 */
@Command(name = "import", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Read a Hugging Face GPT-2 folder (config.json, model.safetensors, tokenizer.json) and write"
                + " it as an rlhf4j checkpoint (float32, tied head) that sft.init can start from.")
final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HF_DIR", description = "The Hugging Face model folder.")
    Path source;

    @Parameters(index = "1", paramLabel = "OUT", description = "The checkpoint folder to write (must not exist, or be empty).")
    Path out;

    @Option(names = "--device", description = "auto | cpu | gpu | gpu:N (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out) && Files.list(out).findAny().isPresent()) {
            System.err.println("error: " + out + " is not empty");
            return ExitCodes.USAGE;
        }
        try (HfCheckpoint.Loaded loaded = HfCheckpoint.load(source, BenchCommand.startEngine(1, device))) {
            HfCheckpoint.save(loaded.model(), loaded.tokenizer(), out);
            var c = loaded.model().config();
            System.out.printf("imported %s: %d layers, %d heads, width %d, context %d, vocabulary %d (%,d parameters) -> %s%n",
                    source, c.layers(), c.heads(), c.width(), c.context(), c.vocabSize(), loaded.model().parameterCount(), out);
        }
        return ExitCodes.OK;
    }
}
