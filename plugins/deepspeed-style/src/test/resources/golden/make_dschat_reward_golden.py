#!/usr/bin/env python3
"""Makes dschat_reward.json, the golden fixture of DsChatRewardGoldenTest. Ours; not run by the build.

Upstream: microsoft/DeepSpeedExamples at commit 83757d9c937daabd1089a08051061706cb73900d,
file applications/DeepSpeed-Chat/dschat/utils/model/reward_model.py, RewardModel.forward, lines 66-120: the loop
over pairs that finds each sequence's end (its first PAD after num_padding_at_beginning of them), the first
token where chosen and rejected differ, the mean of -logsigmoid(r_chosen - r_rejected) from there to the end of the
longer one, the end scores chosen_reward[c_ind - 1]. Re-typed below, line for line, as a free function of the
per-token rewards (the v_head output) and the ids; nothing else of upstream is used. num_padding_at_beginning is 0,
what step 2's scripts pass for every model but OPT (whose tokenizer adds a leading pad-like token).

Regenerate (from the repository root), with PyTorch installed:
  python3 plugins/deepspeed-style/src/test/resources/golden/make_dschat_reward_golden.py
"""
import json
import os

import torch

PAD_ID = 0
NUM_PADDING_AT_BEGINNING = 0


# --- re-typed from reward_model.py@83757d9c, lines 66-120 (the model call replaced by given rewards) ---
def forward(input_ids, rewards, PAD_ID, num_padding_at_beginning):
    chosen_mean_scores = []
    rejected_mean_scores = []
    bs = input_ids.shape[0] // 2
    seq_len = input_ids.shape[1]
    chosen_ids = input_ids[:bs]
    rejected_ids = input_ids[bs:]
    chosen_rewards = rewards[:bs]
    rejected_rewards = rewards[bs:]
    loss = 0.
    for i in range(bs):
        chosen_id = chosen_ids[i]
        rejected_id = rejected_ids[i]
        chosen_reward = chosen_rewards[i]
        rejected_reward = rejected_rewards[i]
        c_inds = (chosen_id == PAD_ID).nonzero()
        c_ind = c_inds[num_padding_at_beginning].item() if len(c_inds) > num_padding_at_beginning else seq_len
        check_divergence = (chosen_id != rejected_id).nonzero()
        if len(check_divergence) == 0:
            end_ind = rejected_reward.size(-1)
            divergence_ind = end_ind - 1
            r_ind = c_ind
        else:
            r_inds = (rejected_id == PAD_ID).nonzero()
            r_ind = r_inds[num_padding_at_beginning].item() if len(r_inds) > num_padding_at_beginning else seq_len
            end_ind = max(c_ind, r_ind)
            divergence_ind = check_divergence[0]
        assert divergence_ind > 0
        c_truncated_reward = chosen_reward[divergence_ind:end_ind]
        r_truncated_reward = rejected_reward[divergence_ind:end_ind]
        chosen_mean_scores.append(chosen_reward[c_ind - 1])
        rejected_mean_scores.append(rejected_reward[r_ind - 1])
        loss += -torch.nn.functional.logsigmoid(c_truncated_reward - r_truncated_reward).mean()
    loss = loss / bs
    return {"loss": loss, "chosen_mean_scores": torch.stack(chosen_mean_scores),
            "rejected_mean_scores": torch.stack(rejected_mean_scores)}


def row(prompt, answer, width):
    ids = prompt + answer
    return ids + [PAD_ID] * (width - len(ids))


g = torch.Generator().manual_seed(1234)
W = 10
prompt = [5, 6, 7]
pairs = [
    ([3, 4, 8, 9], [3, 2]),          # differ at the second answer token; chosen longer
    ([4, 4], [4, 4, 4, 8, 1]),       # rejected longer; divergence where chosen is already padding
    ([8, 1, 2], [8, 1, 2]),          # identical: upstream compares the last position of the padded width
    ([1, 2, 3, 4, 5, 6, 7], [9]),    # chosen fills the width (no PAD)
]
chosen = [row(prompt, c, W) for c, _ in pairs]
rejected = [row(prompt, r, W) for _, r in pairs]
input_ids = torch.tensor(chosen + rejected, dtype=torch.long)
rewards = torch.randn(input_ids.shape, generator=g, dtype=torch.float64).float().double()
out = forward(input_ids, rewards, PAD_ID, NUM_PADDING_AT_BEGINNING)
fixture = {
    "upstream": {"repo": "microsoft/DeepSpeedExamples", "commit": "83757d9c937daabd1089a08051061706cb73900d",
                 "file": "applications/DeepSpeed-Chat/dschat/utils/model/reward_model.py", "lines": "66-120"},
    "inputs": {"pad_id": PAD_ID, "chosen_ids": chosen, "rejected_ids": rejected,
               "chosen_rewards": rewards[:len(pairs)].tolist(), "rejected_rewards": rewards[len(pairs):].tolist()},
    "outputs": {"loss": out["loss"].item(), "chosen_mean_scores": out["chosen_mean_scores"].tolist(),
                "rejected_mean_scores": out["rejected_mean_scores"].tolist()},
}
path = os.path.join(os.path.dirname(__file__), "dschat_reward.json")
with open(path, "w") as f:
    json.dump(fixture, f, indent=1)
print("wrote", path, "loss", fixture["outputs"]["loss"])
