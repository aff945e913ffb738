package org.rlhf4j.host.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.SpecialTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rlhf export CHECKPOINT OUT}: a run's checkpoint as a folder Hugging Face transformers loads with
 * {@code GPT2LMHeadModel.from_pretrained(OUT)} and {@code AutoTokenizer.from_pretrained(OUT)}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Write a checkpoint (e.g. runs/quickstart/checkpoints/sft) as a Hugging Face GPT-2 folder:"
                + " config.json, model.safetensors, tokenizer.json, tokenizer_config.json, special_tokens_map.json.")
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint folder written by a stage.")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "OUT", description = "The folder to write (must not exist, or be empty).")
    Path out;

    @Option(names = "--device", description = "auto | cpu | gpu | gpu:N (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out) && Files.list(out).findAny().isPresent()) {
            System.err.println("error: " + out + " is not empty");
            return ExitCodes.USAGE;
        }
        try (HfCheckpoint.Loaded loaded = HfCheckpoint.load(checkpoint, BenchCommand.startEngine(1, device))) {
            HfCheckpoint.save(loaded.model(), loaded.tokenizer(), out);
            String eos = SpecialTokens.END_OF_TEXT;
            Files.writeString(out.resolve("tokenizer_config.json"), """
                    {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": %d,
                     "bos_token": "%s", "eos_token": "%s", "unk_token": "%s", "pad_token": "%s"}
                    """.formatted(loaded.model().config().context(), eos, eos, eos, eos));
            Files.writeString(out.resolve("special_tokens_map.json"), """
                    {"bos_token": "%s", "eos_token": "%s", "unk_token": "%s", "pad_token": "%s"}
                    """.formatted(eos, eos, eos, eos));
            System.out.printf("exported %s (%,d parameters, vocabulary %d) to %s%n", checkpoint,
                    loaded.model().parameterCount(), loaded.tokenizer().vocabSize(), out);
        }
        return ExitCodes.OK;
    }
}
