package org.rlhf4j.host.ppo;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.trainer.Batches;
import org.rlhf4j.host.trainer.TokenWindows;
import org.rlhf4j.host.train.TrainingData;

/** The pretraining batches PTX mixes into PPO (InstructGPT's PPO-ptx): windows of the pretraining corpus. */
final class PtxData {

    private PtxData() {
    }

    static Batches batches(StageContext ctx, PpoSettings.Ptx ptx, Tokenizer tokenizer, int context) {
        List<Integer> ids = new ArrayList<>();
        List<java.nio.file.Path> files = TrainingData.inputs(ctx, ptx.input(), ptx.files());
        if (files.isEmpty()) {
            throw new StageFailure("stage " + ctx.stage() + ": PTX is on (ppo.ptx.coef > 0) but ppo.ptx.input and ppo.ptx.files are empty");
        }
        for (String doc : TrainingData.documents(files)) {
            for (int id : tokenizer.encode(doc)) {
                ids.add(id);
            }
            ids.add(tokenizer.eosId());
        }
        if (ids.size() <= context + 1) {
            throw new StageFailure("stage " + ctx.stage() + ": the PTX corpus has " + ids.size() + " tokens, fewer than one window of "
                    + (context + 1));
        }
        int[] tokens = ids.stream().mapToInt(Integer::intValue).toArray();
        return new TokenWindows(tokens, 0, tokens.length, ptx.batchSize(), context);
    }
}
