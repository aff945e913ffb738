#!/usr/bin/env python3
"""Makes dschat.json, the golden fixture of DsChatGoldenTest. Ours; not run by the build.

Upstream: microsoft/DeepSpeedExamples at commit 83757d9c937daabd1089a08051061706cb73900d,
file applications/DeepSpeed-Chat/dschat/rlhf/ppo_trainer.py, class DeepSpeedPPOTrainer:
  compute_rewards              lines 181-194
  train_rlhf (the glue below)  lines 207-222, 228-230, 239-241
  actor_loss_fn                lines 282-290
  critic_loss_fn               lines 292-306
  get_advantages_and_returns   lines 308-320
  constants (__init__)         lines 66-69 (kl_ctl, clip_reward_value, cliprange, cliprange_value);
                               gamma = 1.0 and lam = 0.95 are set in the same __init__ (lines 70-71).
The four functions are re-typed below, line for line, as free functions of a settings object; nothing else
of upstream is used. DS-Chat shapes: seq = [prompt (left padded) | answer (right padded)], length P + A;
log-probs, values and action_mask = attention_mask[:, 1:] have length P + A - 1; start = P - 1.

Inputs are float32 numbers (stored exactly); the upstream math runs in float64 on them, so the fixture
adds no float32 rounding of its own.

Regenerate (from the repository root), with PyTorch installed:
  python3 plugins/deepspeed-style/src/test/resources/golden/make_dschat_golden.py
"""
import json
import os

import torch

UPSTREAM = {
    "repo": "microsoft/DeepSpeedExamples",
    "commit": "83757d9c937daabd1089a08051061706cb73900d",
    "file": "applications/DeepSpeed-Chat/dschat/rlhf/ppo_trainer.py",
    "lines": {"compute_rewards": "181-194", "train_rlhf": "207-241", "actor_loss_fn": "282-290",
              "critic_loss_fn": "292-306", "get_advantages_and_returns": "308-320"},
}


class S:  # DeepSpeedPPOTrainer.__init__, ppo_trainer.py lines 66-71
    kl_ctl = 0.1
    clip_reward_value = 5
    cliprange = 0.2
    cliprange_value = 0.2
    gamma = 1.0
    lam = 0.95
    compute_fp32_loss = False


# --- re-typed from ppo_trainer.py@83757d9c, lines 181-194 ---
def compute_rewards(self, prompts, log_probs, ref_log_probs, reward_score, action_mask):
    kl_divergence_estimate = -self.kl_ctl * (log_probs - ref_log_probs)
    rewards = kl_divergence_estimate
    start = prompts.shape[1] - 1
    ends = start + action_mask[:, start:].sum(1) + 1
    reward_clip = torch.clamp(reward_score, -self.clip_reward_value, self.clip_reward_value)
    batch_size = log_probs.shape[0]
    for j in range(batch_size):
        rewards[j, start:ends[j]][-1] += reward_clip[j]
    return rewards


# --- re-typed from ppo_trainer.py@83757d9c, lines 282-290 ---
def actor_loss_fn(self, logprobs, old_logprobs, advantages, mask):
    log_ratio = (logprobs - old_logprobs) * mask
    ratio = torch.exp(log_ratio)
    pg_loss1 = -advantages * ratio
    pg_loss2 = -advantages * torch.clamp(ratio, 1.0 - self.cliprange, 1.0 + self.cliprange)
    pg_loss = torch.sum(torch.max(pg_loss1, pg_loss2) * mask) / mask.sum()
    return pg_loss


# --- re-typed from ppo_trainer.py@83757d9c, lines 292-306 ---
def critic_loss_fn(self, values, old_values, returns, mask):
    values_clipped = torch.clamp(values, old_values - self.cliprange_value, old_values + self.cliprange_value)
    if self.compute_fp32_loss:
        values = values.float()
        values_clipped = values_clipped.float()
    vf_loss1 = (values - returns) ** 2
    vf_loss2 = (values_clipped - returns) ** 2
    vf_loss = 0.5 * torch.sum(torch.max(vf_loss1, vf_loss2) * mask) / mask.sum()
    return vf_loss


# --- re-typed from ppo_trainer.py@83757d9c, lines 308-320 ---
def get_advantages_and_returns(self, values, rewards, start):
    lastgaelam = 0
    advantages_reversed = []
    length = rewards.size()[-1]
    for t in reversed(range(start, length)):
        nextvalues = values[:, t + 1] if t < length - 1 else 0.0
        delta = rewards[:, t] + self.gamma * nextvalues - values[:, t]
        lastgaelam = delta + self.gamma * self.lam * lastgaelam
        advantages_reversed.append(lastgaelam)
    advantages = torch.stack(advantages_reversed[::-1], dim=1)
    returns = advantages + values[:, start:]
    return advantages.detach(), returns


def main():
    g = torch.Generator().manual_seed(20250211)
    B, P, A = 3, 4, 6                      # batch, prompt length (padded), answer length (padded)
    prompt_real = [4, 2, 3]                # real prompt tokens per row, left padded
    answer_len = [6, 4, 2]                 # row 0 fills the answer, rows 1 and 2 are right padded
    L = P + A
    attention_mask = torch.zeros(B, L, dtype=torch.long)
    for j in range(B):
        attention_mask[j, P - prompt_real[j]:P] = 1
        attention_mask[j, P:P + answer_len[j]] = 1
    prompts = torch.zeros(B, P, dtype=torch.long)   # only its shape is read (start = P - 1)
    action_mask = attention_mask[:, 1:]             # train_rlhf line 208

    def f32(t):  # float32 numbers, then computed in float64
        return t.to(torch.float32).to(torch.float64)

    # Every position carries a number, padding included, as a real forward pass gives.
    log_probs = f32(-0.1 - 2.9 * torch.rand(B, L - 1, generator=g))
    ref_log_probs = f32(log_probs + 0.3 * torch.randn(B, L - 1, generator=g))
    values = f32(torch.randn(B, L - 1, generator=g))
    reward_score = f32(torch.tensor([7.25, -1.5, -6.125]))      # two of three clamped at +-5
    new_log_probs = f32(log_probs + 0.25 * torch.randn(B, L - 1, generator=g))   # some ratios beyond 1 +- 0.2
    new_values = f32(values + 0.3 * torch.randn(B, L - 1, generator=g))         # some beyond +-0.2

    inputs = {
        "B": B, "P": P, "A": A, "prompt_real": prompt_real, "answer_len": answer_len,
        "attention_mask": attention_mask.tolist(), "action_mask": action_mask.tolist(),
        "log_probs": log_probs.tolist(), "ref_log_probs": ref_log_probs.tolist(), "values": values.tolist(),
        "reward_score": reward_score.tolist(), "new_log_probs": new_log_probs.tolist(),
        "new_values": new_values.tolist(),
    }

    self = S()
    # train_rlhf, lines 207-222
    start = prompts.size()[-1] - 1
    old_values = values.clone()
    raw_rewards = compute_rewards(self, prompts, log_probs, ref_log_probs, reward_score, action_mask)
    old_rewards = raw_rewards.clone()
    ends = start + action_mask[:, start:].sum(1) + 1
    for i in range(old_rewards.shape[0]):
        old_rewards[i, ends[i]:] = 0
        old_values[i, ends[i]:] = 0
    advantages, returns = get_advantages_and_returns(self, old_values, old_rewards, start)
    # lines 228-230 and 239-241
    actor_loss = actor_loss_fn(self, new_log_probs[:, start:], log_probs[:, start:], advantages, action_mask[:, start:])
    critic_loss = critic_loss_fn(self, new_values[:, start:], old_values[:, start:], returns, action_mask[:, start:])

    outputs = {
        "start": start, "ends": ends.tolist(),
        "old_rewards": old_rewards.tolist(),          # (B, P + A - 1), after the zeroing of lines 218-220
        "old_values": old_values.tolist(),            # (B, P + A - 1), after the zeroing
        "advantages": advantages.tolist(),            # (B, A): positions start .. P + A - 2
        "returns": returns.tolist(),                  # (B, A)
        "actor_loss": actor_loss.item(),
        "critic_loss": critic_loss.item(),
    }
    out = {"upstream": UPSTREAM, "torch": torch.__version__,
           "settings": {k: getattr(S, k) for k in ("kl_ctl", "clip_reward_value", "cliprange", "cliprange_value",
                                                   "gamma", "lam")},
           "inputs": inputs, "outputs": outputs}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dschat.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print("wrote", path, "ends", ends.tolist(), "actor_loss", actor_loss.item(), "critic_loss", critic_loss.item())


if __name__ == "__main__":
    main()
