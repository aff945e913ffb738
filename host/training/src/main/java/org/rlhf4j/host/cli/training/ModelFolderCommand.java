package org.rlhf4j.host.cli.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.SpecialTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rlhf export} and {@code rlhf import}: one checkpoint folder read and written again in the other layout.
 * Both load {@code SOURCE} (a run's checkpoint or a Hugging Face folder: {@link HfCheckpoint} reads both), refuse
 * a non-empty {@code OUT}, save, and then say what they wrote; export also adds the tokenizer files transformers'
 * {@code AutoTokenizer} looks for.
 */
public abstract class ModelFolderCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The folder to read.")
    Path source;

    @Parameters(index = "1", paramLabel = "OUT", description = "The folder to write (must not exist, or be empty).")
    Path out;

    @Option(names = "--device", description = "auto | cpu | gpu | gpu:N (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    /** {@code rlhf export CHECKPOINT OUT}. */
    public static Object exportCommand() {
        return new Export();
    }

    /** {@code rlhf import HF_DIR OUT}. */
    public static Object importCommand() {
        return new Import();
    }

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    System.err.println("error: " + out + " is not empty");
                    return ExitCodes.USAGE;
                }
            }
        }
        try (HfCheckpoint.Loaded loaded = HfCheckpoint.load(source, BenchCommand.startEngine(1, device))) {
            HfCheckpoint.save(loaded.model(), loaded.tokenizer(), out);
            written(loaded);
        }
        return ExitCodes.OK;
    }

    /** After the checkpoint is saved in {@code out}: extra files, and the line that says what was done. */
    abstract void written(HfCheckpoint.Loaded loaded) throws Exception;

    @Command(name = "export", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Write a checkpoint (e.g. runs/quickstart/checkpoints/sft) as a Hugging Face GPT-2 folder:"
                    + " config.json, model.safetensors, tokenizer.json, tokenizer_config.json, special_tokens_map.json."
                    + " transformers loads it with GPT2LMHeadModel.from_pretrained(OUT) and AutoTokenizer.from_pretrained(OUT).")
    static final class Export extends ModelFolderCommand {
        @Override
        void written(HfCheckpoint.Loaded loaded) throws Exception {
            String eos = SpecialTokens.END_OF_TEXT;
            Files.writeString(out.resolve("tokenizer_config.json"), """
                    {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": %d,
                     "bos_token": "%s", "eos_token": "%s", "unk_token": "%s", "pad_token": "%s"}
                    """.formatted(loaded.model().config().context(), eos, eos, eos, eos));
            Files.writeString(out.resolve("special_tokens_map.json"), """
                    {"bos_token": "%s", "eos_token": "%s", "unk_token": "%s", "pad_token": "%s"}
                    """.formatted(eos, eos, eos, eos));
            System.out.printf("exported %s (%,d parameters, vocabulary %d) to %s%n", source,
                    loaded.model().parameterCount(), loaded.tokenizer().vocabSize(), out);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Read a Hugging Face GPT-2 folder (config.json, model.safetensors in F32, F16 or BF16,"
                    + " tokenizer.json) and write it as an rlhf4j checkpoint (float32, tied head) that sft.init can start from.")
    static final class Import extends ModelFolderCommand {
        @Override
        void written(HfCheckpoint.Loaded loaded) {
            var c = loaded.model().config();
            System.out.printf("imported %s: %d layers, %d heads, width %d, context %d, vocabulary %d (%,d parameters) -> %s%n",
                    source, c.layers(), c.heads(), c.width(), c.context(), c.vocabSize(), loaded.model().parameterCount(), out);
        }
    }
}
