#!/usr/bin/env python3
"""Makes trlx.json, the golden fixture of TrlxGoldenTest. Ours; not run by the build.

Upstream: CarperAI/trlx at commit 3340c2f3a56d1d14fdd5f13ad575121fa26b6d92. Re-typed below, line for line (the
seq2seq branches and logging left out), as free functions; nothing else of upstream is used:
  trlx/utils/modeling.py            RunningMoments.update   lines 275-307
                                    whiten                  lines 200-210 (not distributed)
  trlx/models/modeling_ppo.py       AdaptiveKLController    lines 35-53
                                    FixedKLController       lines 56-67
                                    get_advantages_and_returns lines 136-173
                                    loss                    lines 175-217
  trlx/trainer/accelerate_ppo_trainer.py
                                    make_experience, the reward construction: lines 341, 364-381, 448-492, 457-460
                                    loss() glue (GAE + whitening on the minibatch): line 145
                                    the KL controller's call: post_backward_callback lines 227-228, once per PPO
                                    epoch (accelerate_base_trainer.py lines 554-649)
  trlx/pipeline/ppo_pipeline.py     the minibatch collate: pad_sequence(..., padding_value=0.0), right padding
Layout of a rollout chunk as make_experience builds it: all_tokens = [prompt, left padded, P | response, S], with
pad == eos (GPT-2: the tokenizer's pad token maps to <|endoftext|>), so the response's stop token is outside
attention_mask; logprobs have length P + S - 1, logprob k being that of token k + 1; start = P - 1.

Inputs are float32 numbers (stored exactly); the upstream math runs in float64 on them.

Regenerate (from the repository root), with PyTorch installed (e.g. /tmp/venv-golden/bin/python):
  python3 plugins/trlx-style/src/test/resources/golden/make_trlx_golden.py
"""
import json
import os

import numpy as np
import torch
from torch.nn.utils.rnn import pad_sequence

UPSTREAM = {
    "repo": "CarperAI/trlx",
    "commit": "3340c2f3a56d1d14fdd5f13ad575121fa26b6d92",
    "files": {
        "trlx/utils/modeling.py": {"RunningMoments.update": "275-307", "whiten": "200-210"},
        "trlx/models/modeling_ppo.py": {"AdaptiveKLController": "35-53", "FixedKLController": "56-67",
                                        "get_advantages_and_returns": "136-173", "loss": "175-217"},
        "trlx/trainer/accelerate_ppo_trainer.py": {"make_experience": "341, 364-381, 448-492", "loss": "145",
                                                   "post_backward_callback": "227-228"},
    },
}
torch.set_default_dtype(torch.float64)


# --- re-typed from trlx/utils/modeling.py@3340c2f, lines 275-307 (not distributed) ---
class RunningMoments:
    def __init__(self):
        self.mean = 0
        self.std = 1
        self.var = 1
        self.count = 1e-24

    def update(self, xs):
        xs_count = xs.numel()
        xs_var, xs_mean = torch.var_mean(xs, unbiased=False)
        delta = xs_mean - self.mean
        tot_count = self.count + xs_count
        new_sum = xs_var * xs_count
        old_sum = self.var * self.count + delta**2 * self.count * xs_count / tot_count
        tot_sum = old_sum + new_sum
        self.mean += delta * xs_count / tot_count
        self.var = tot_sum / tot_count
        self.std = (self.var * tot_count / (tot_count - 1)).sqrt()
        self.count = tot_count
        return xs_mean, (xs_var * xs_count / (xs_count - 1)).sqrt()


# --- re-typed from trlx/utils/modeling.py@3340c2f, lines 200-210 (not distributed) ---
def whiten(xs, shift_mean=True):
    var, mean = torch.var_mean(xs)
    whitened = (xs - mean) * torch.rsqrt(var + 1e-8)
    if not shift_mean:
        whitened += mean
    return whitened


# --- re-typed from trlx/models/modeling_ppo.py@3340c2f, lines 35-67 ---
class AdaptiveKLController:
    def __init__(self, init_kl_coef, target, horizon):
        self.value = init_kl_coef
        self.target = target
        self.horizon = horizon

    def update(self, current, n_steps):
        proportional_error = np.clip(current / self.target - 1, -0.2, 0.2)
        mult = 1 + proportional_error * n_steps / self.horizon
        self.value *= mult


class FixedKLController:
    def __init__(self, kl_coef):
        self.value = kl_coef

    def update(self, current, n_steps):
        pass


class Method:  # PPOConfig with default_configs.py's values (lines 37-51)
    gamma = 1.0
    lam = 0.95
    cliprange = 0.2
    cliprange_value = 0.2
    vf_coef = 1.0
    cliprange_reward = 10.0

    # --- re-typed from trlx/models/modeling_ppo.py@3340c2f, lines 136-173 ---
    def get_advantages_and_returns(self, values, rewards, response_length, use_whitening=True):
        lastgaelam = 0
        advantages_reversed = []
        for t in reversed(range(response_length)):
            nextvalues = values[:, t + 1] if t < response_length - 1 else 0.0
            delta = rewards[:, t] + self.gamma * nextvalues - values[:, t]
            lastgaelam = delta + self.gamma * self.lam * lastgaelam
            advantages_reversed.append(lastgaelam)
        advantages = torch.stack(advantages_reversed[::-1], dim=1)
        returns = advantages + values
        if use_whitening:
            advantages = whiten(advantages)
        return advantages.detach(), returns

    # --- re-typed from trlx/models/modeling_ppo.py@3340c2f, lines 175-217 (the stats left out) ---
    def loss(self, logprobs, values, old_logprobs, old_values, advantages, returns, mask):
        values_clipped = torch.clamp(values, old_values - self.cliprange_value, old_values + self.cliprange_value)
        n = mask.sum()
        vf_loss1 = (values - returns) ** 2
        vf_loss2 = (values_clipped - returns) ** 2
        vf_loss = 0.5 * torch.sum(torch.max(vf_loss1, vf_loss2) * mask) / n
        log_ratio = (logprobs - old_logprobs) * mask
        ratio = torch.exp(log_ratio)
        pg_loss1 = -advantages * ratio
        pg_loss2 = -advantages * torch.clamp(ratio, 1.0 - self.cliprange, 1.0 + self.cliprange)
        pg_loss = torch.sum(torch.max(pg_loss1, pg_loss2) * mask) / n
        loss = pg_loss + self.vf_coef * vf_loss
        return loss, pg_loss, vf_loss


class Trainer:
    """The state make_experience reads: kl_ctl, running_moments, ref_mean / ref_std, config.method."""

    def __init__(self, scale_reward, kl_coef):
        self.method = Method()
        self.scale_reward = scale_reward
        self.kl_ctl = FixedKLController(kl_coef)
        self.running_moments = RunningMoments()
        self.ref_mean = None
        self.ref_std = None

    def rewards_of_chunk(self, prompt_tensors, sample_outputs, scores, logprobs, ref_logprobs, values, pad):
        """make_experience's reward construction for one chunk, after the forward passes."""
        scores_mask = scores != -np.inf                                                      # line 341
        # --- re-typed from accelerate_ppo_trainer.py@3340c2f, lines 364-381 ---
        if self.method.cliprange_reward:
            scores = torch.clip(scores, -self.method.cliprange_reward, self.method.cliprange_reward)
        if self.ref_mean is None:
            self.ref_mean, self.ref_std = (scores * scores_mask).sum(dim=1).mean(), (scores * scores_mask).sum(dim=1).std()
        all_scores_mean, all_scores_std = self.running_moments.update(torch.sum(scores * scores_mask, dim=1))
        if self.scale_reward == "running":
            scores /= self.running_moments.std
        elif self.scale_reward == "ref":
            scores /= self.ref_std
        scaled = scores.clone()
        # --- re-typed from accelerate_ppo_trainer.py@3340c2f, lines 415-416 (the mask), 448-492 ---
        all_tokens = torch.cat((prompt_tensors, sample_outputs), dim=1)
        attention_mask = all_tokens.not_equal(pad).long()
        n_samples = sample_outputs.shape[0]
        start = prompt_tensors.shape[1] - 1
        log_ratio = (logprobs - ref_logprobs) * attention_mask[:, :-1]
        kl = log_ratio.exp() - 1 - log_ratio
        mean_kl = kl.sum(1).mean()
        values = values[:, :-1]
        ends = start + attention_mask[:, start:].sum(1) + 1
        all_values = [values[ix, start:ends[ix]] for ix in range(n_samples)]
        all_logprobs = [logprobs[ix, start:ends[ix]] for ix in range(n_samples)]
        kl_penalty = self.kl_ctl.value * -log_ratio
        kl_penalty = [xs[start:ends[ix]] for ix, xs in enumerate(kl_penalty)]
        all_rewards = []
        for sample_idx in range(n_samples):
            rewards = kl_penalty[sample_idx]
            if scores.shape[1] == 1:
                rewards[-1] += scores[sample_idx][0]
            else:
                score = scores[sample_idx]
                score_right_padding = torch.sum(scores_mask[sample_idx])
                score = score[:score_right_padding]
                p_score = torch.zeros_like(rewards)
                p_score[: score.shape[0]] += score
                rewards += p_score
            all_rewards.append(rewards)
        return {
            "scaled_scores": torch.where(scores_mask, scaled, torch.zeros_like(scaled)).tolist(),
            "ref_std": float(self.ref_std), "running_mean": float(self.running_moments.mean),
            "running_std": float(self.running_moments.std), "batch_mean": float(all_scores_mean),
            "batch_std": float(all_scores_std),
            "ends": ends.tolist(), "rewards": [r.tolist() for r in all_rewards],
            "values": [v.tolist() for v in all_values], "logprobs": [l.tolist() for l in all_logprobs],
            "mean_kl": float(mean_kl),
            # upstream's own kl tensor from start on (the answer's positions): what our controller is fed
            "mean_kl_from_start": float(kl[:, start:].sum(1).mean()),
        }


def f32(t):
    return t.to(torch.float32).to(torch.float64)


def chunk(g, prompt_real, answer_real, P, S, pad=0):
    """A rollout chunk: token ids with left-padded prompts and right-padded answers (R real tokens, then eos = pad)."""
    B = len(prompt_real)
    prompts = torch.full((B, P), pad, dtype=torch.long)
    outputs = torch.full((B, S), pad, dtype=torch.long)
    for j in range(B):
        prompts[j, P - prompt_real[j]:] = torch.randint(1, 50, (prompt_real[j],), generator=g)
        outputs[j, :answer_real[j]] = torch.randint(1, 50, (answer_real[j],), generator=g)   # then eos (= pad)
    L = P + S
    logprobs = f32(-0.1 - 2.9 * torch.rand(B, L - 1, generator=g))
    ref_logprobs = f32(logprobs + 0.3 * torch.randn(B, L - 1, generator=g))
    values = f32(torch.randn(B, L, generator=g))
    return prompts, outputs, logprobs, ref_logprobs, values


def experience_cases(g):
    P, S = 5, 6
    prompt_real = [5, 3, 4, 2]
    answer_real = [5, 3, 1, 4]   # real tokens before the eos; row 0's eos is the last column
    cases = []
    for name, scale, dense in [("scalar-running", "running", False), ("scalar-ref", "ref", False),
                               ("dense-running", "running", True), ("scalar-ignored", "ignored", False)]:
        trainer = Trainer(scale, kl_coef=0.05)
        chunks = []
        for c in range(2):
            prompts, outputs, lp, ref, values = chunk(g, prompt_real, answer_real, P, S)
            if dense:
                per = [f32(4.0 * torch.randn(answer_real[j] + 1, generator=g)) for j in range(len(answer_real))]
                per[0][0] = 12.5          # beyond cliprange_reward
                per[2][-1] = -11.0
                scores = pad_sequence(per, batch_first=True, padding_value=-np.inf)   # lines 318-325
            else:
                scores = f32(torch.tensor([[13.0], [-2.5], [4.0], [-10.75]]) + 0.5 * torch.randn(4, 1, generator=g))
            inputs = {"prompts": prompts.tolist(), "outputs": outputs.tolist(), "logprobs": lp.tolist(),
                      "ref_logprobs": ref.tolist(), "values": values.tolist(),
                      "scores": torch.where(scores == -np.inf, torch.zeros_like(scores), scores).tolist()}
            out = trainer.rewards_of_chunk(prompts, outputs, scores, lp, ref, values, pad=0)
            chunks.append({"inputs": inputs, "outputs": out})
        cases.append({"name": name, "scale_reward": scale, "dense": dense, "P": P, "S": S, "prompt_real": prompt_real,
                      "answer_real": answer_real, "kl_coef": 0.05, "chunks": chunks})
    return cases


def loss_case(g):
    """One training minibatch as the store's collate pads it, through loss() line 145 and PPOConfig.loss.

    Elements as make_experience cuts them from a chunk S = 6 long (lines 471-476): R real answer tokens, the eos, and
    one position past it (min(R + 2, S)); loss() masks the R real tokens (attention_mask, the eos being padding).
    """
    S = 6
    answer_real = [3, 1, 2]
    lengths = [min(r + 2, S) for r in answer_real]
    elems = []
    for n in lengths:
        elems.append({"logprobs": f32(-0.1 - 2.9 * torch.rand(n, generator=g)),
                      "values": f32(torch.randn(n, generator=g)),
                      "rewards": f32(torch.randn(n, generator=g))})
    old_logprobs = pad_sequence([e["logprobs"] for e in elems], batch_first=True, padding_value=0.0)
    old_values = pad_sequence([e["values"] for e in elems], batch_first=True, padding_value=0.0)
    old_rewards = pad_sequence([e["rewards"] for e in elems], batch_first=True, padding_value=0.0)
    L = old_rewards.shape[1]
    mask = torch.zeros(len(lengths), L)
    for j, r in enumerate(answer_real):
        mask[j, :r] = 1
    logprobs = f32(old_logprobs + 0.25 * torch.randn(old_logprobs.shape, generator=g))   # some ratios beyond 1 +- 0.2
    values = f32(old_values + 0.3 * torch.randn(old_values.shape, generator=g))          # some beyond +-0.2
    m = Method()
    raw_adv, _ = m.get_advantages_and_returns(old_values, old_rewards, L, use_whitening=False)
    advantages, returns = m.get_advantages_and_returns(old_values, old_rewards, L)        # line 145
    loss, pg_loss, vf_loss = m.loss(logprobs, values, old_logprobs, old_values, advantages, returns, mask)
    return {"S": S, "answer_real": answer_real, "lengths": lengths,
            "inputs": {"old_logprobs": old_logprobs.tolist(), "old_values": old_values.tolist(),
                       "rewards": old_rewards.tolist(), "logprobs": logprobs.tolist(), "values": values.tolist(),
                       "mask": mask.tolist()},
            "outputs": {"advantages_unwhitened": raw_adv.tolist(), "advantages": advantages.tolist(),
                        "returns": returns.tolist(), "loss": loss.item(), "pg_loss": pg_loss.item(),
                        "vf_loss": vf_loss.item()}}


def moments_case(g):
    rm = RunningMoments()
    steps = []
    for n in [5, 3, 8]:
        xs = f32(3.0 + 2.0 * torch.randn(n, generator=g))
        batch_mean, batch_std = rm.update(xs)
        steps.append({"xs": xs.tolist(), "batch_mean": float(batch_mean), "batch_std": float(batch_std),
                      "mean": float(rm.mean), "std": float(rm.std), "var": float(rm.var), "count": float(rm.count)})
    return steps


def kl_case():
    """Three rollouts; after each, ppo_epochs post_backward_callback calls with n_steps = train.batch_size."""
    ppo_epochs, batch_size, num_rollouts = 4, 32, 128
    adaptive = AdaptiveKLController(0.1, 6.0, 10000)
    fixed = FixedKLController(0.001)
    steps = []
    for mean_kl in [9.0, 3.0, 6.6]:
        for _ in range(ppo_epochs):
            adaptive.update(mean_kl, n_steps=batch_size)
            fixed.update(mean_kl, n_steps=batch_size)
        steps.append({"mean_kl": mean_kl, "adaptive": adaptive.value, "fixed": fixed.value})
    return {"init_kl_coef": 0.1, "target": 6.0, "horizon": 10000, "fixed_init_kl_coef": 0.001,
            "ppo_epochs": ppo_epochs, "batch_size": batch_size, "num_rollouts": num_rollouts, "steps": steps}


def main():
    g = torch.Generator().manual_seed(20250212)
    m = Method()
    out = {"upstream": UPSTREAM, "torch": torch.__version__,
           "settings": {"gamma": m.gamma, "lam": m.lam, "cliprange": m.cliprange, "cliprange_value": m.cliprange_value,
                        "vf_coef": m.vf_coef, "cliprange_reward": m.cliprange_reward},
           "running_moments": moments_case(g), "experience": experience_cases(g), "loss": loss_case(g),
           "kl_controllers": kl_case()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trlx.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print("wrote", path, "loss", out["loss"]["outputs"]["loss"],
          "ends", [c["chunks"][0]["outputs"]["ends"] for c in out["experience"]][0])


if __name__ == "__main__":
    main()
