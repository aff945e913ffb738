#!/usr/bin/env python3
"""Makes beaver.json, the golden fixture of BeaverGoldenTest. Ours; not run by the build.

Upstream: PKU-Alignment/safe-rlhf at commit 82743cc89e7d59321852d72ea262046ff7f7b893 (read from the fork
shuoli90/safe-rlhf, which holds that commit). Re-typed below, line for line, as free functions of a settings object;
nothing else of upstream is used:
  safe_rlhf/utils.py                                   masked_mean                           lines 201-208
  safe_rlhf/trainers/rl_trainer.py                     get_advantages_and_returns            lines 630-651
                                                       critic_loss_fn                        lines 653-669
                                                       gamma, gae_lambda                     lines 118-119
  safe_rlhf/algorithms/ppo_lag/trainer.py              log_lambda and its SGD optimizer      lines 58-67
                                                       post_rollout: episode_costs.extend    line 197
                                                       add_kl_divergence_regularization      lines 258-287
                                                       actor_loss_fn                         lines 289-309
                                                       rl_step (lambda step, the glue)       lines 312-403
  safe_rlhf/algorithms/ppo/trainer.py                  add_kl_divergence_regularization      lines 106-125
                                                       actor_loss_fn                         lines 127-143
  safe_rlhf/algorithms/ppo_reward_shaping/trainer.py   rl_step (shaped score, the glue)      lines 196-253
  safe_rlhf/trainers/rl_trainer.py                     train (update_iters x micro-batches)  lines 500-528
  safe_rlhf/models/score_model/__init__.py             end_index / end_scores                lines 197-213
  safe_rlhf/values/reward/trainer.py                   loss, sequence-wise                   lines 222-230
  safe_rlhf/values/cost/trainer.py                     loss, sequence-wise                   lines 213-222, 260-272
Constants as scripts/ppo-lag.sh passes them (lines 181-191): clip_range_ratio 0.2, clip_range_score 50,
clip_range_value 5; kl_coeff 0.02 (main.py's default; the test passes it to ours); regularization 0.001
(scripts/reward-model.sh, cost-model.sh line 123).

Shapes as upstream: sequence = [prompt, left padded, length S | answer, right padded, length A]; log-probs, values
and sequence_mask = attention_mask[:, 1:] have length L - 1 = S + A - 1; start = S - 1.
Inputs are float32 numbers (stored exactly); the upstream math runs in float64 on them, except where upstream itself
builds a float32 tensor (the episode-cost mean: torch.tensor of Python floats), so the fixture adds no float32
rounding of its own.

Regenerate (from the repository root), with PyTorch installed:
  python3 plugins/beaver-safe/src/test/resources/golden/make_beaver_golden.py
"""
import json
import os
from collections import deque

import numpy as np
import torch
import torch.nn.functional as F

UPSTREAM = {
    "repo": "PKU-Alignment/safe-rlhf",
    "commit": "82743cc89e7d59321852d72ea262046ff7f7b893",
    "files": {
        "safe_rlhf/utils.py": {"masked_mean": "201-208"},
        "safe_rlhf/trainers/rl_trainer.py": {"get_advantages_and_returns": "630-651", "critic_loss_fn": "653-669",
                                             "train": "500-528"},
        "safe_rlhf/algorithms/ppo_lag/trainer.py": {"__init__": "58-67", "add_kl_divergence_regularization": "258-287",
                                                    "actor_loss_fn": "289-309", "rl_step": "312-403"},
        "safe_rlhf/algorithms/ppo/trainer.py": {"add_kl_divergence_regularization": "106-125",
                                                "actor_loss_fn": "127-143"},
        "safe_rlhf/algorithms/ppo_reward_shaping/trainer.py": {"rl_step": "196-253"},
        "safe_rlhf/models/score_model/__init__.py": {"end_scores": "197-213"},
        "safe_rlhf/values/reward/trainer.py": {"loss (sequence-wise)": "222-230"},
        "safe_rlhf/values/cost/trainer.py": {"loss (sequence-wise)": "213-222, 260-272"},
    },
}


class S:  # RLTrainer.__init__ (rl_trainer.py lines 112-119) with scripts/ppo-lag.sh's values
    kl_coeff = 0.02
    clip_range_ratio = 0.2
    clip_range_score = 50.0
    clip_range_value = 5.0
    gamma = 1.0
    gae_lambda = 0.95


# --- re-typed from safe_rlhf/utils.py@82743cc, lines 201-208 ---
def masked_mean(x, mask=None):
    if mask is None:
        return x.mean()
    return ((x * mask).sum(dim=-1) / mask.sum(dim=-1)).mean()


# --- re-typed from safe_rlhf/algorithms/ppo_lag/trainer.py@82743cc, lines 258-287 ---
def add_kl_divergence_regularization_lag(self, reward, cost, prompt, log_probs, ref_log_probs, sequence_mask):
    end_index = torch.cat([m.nonzero()[-1] for m in sequence_mask])  # size = (B,)
    kl_divergence_estimate = log_probs - ref_log_probs
    kl_penalty_rewards = -self.kl_coeff * kl_divergence_estimate
    rewards = torch.scatter_add(kl_penalty_rewards, dim=-1, index=end_index.unsqueeze(dim=-1),
                                src=reward.to(kl_penalty_rewards.dtype).unsqueeze(dim=-1))
    costs = torch.scatter_add(-kl_penalty_rewards, dim=-1, index=end_index.unsqueeze(dim=-1),
                              src=cost.to(kl_penalty_rewards.dtype).unsqueeze(dim=-1))
    return (
        torch.clamp(rewards, min=-self.clip_range_score, max=self.clip_range_score),
        torch.clamp(costs, min=-self.clip_range_score, max=self.clip_range_score),
    )


# --- re-typed from safe_rlhf/algorithms/ppo/trainer.py@82743cc, lines 106-125 ---
def add_kl_divergence_regularization_ppo(self, reward, prompt, log_probs, ref_log_probs, sequence_mask):
    end_index = torch.cat([m.nonzero()[-1] for m in sequence_mask])  # size = (B,)
    kl_divergence_estimate = log_probs - ref_log_probs
    kl_penalty_rewards = -self.kl_coeff * kl_divergence_estimate
    rewards = torch.scatter_add(kl_penalty_rewards, dim=-1, index=end_index.unsqueeze(dim=-1),
                                src=reward.to(kl_penalty_rewards.dtype).unsqueeze(dim=-1))
    return torch.clamp(rewards, min=-self.clip_range_score, max=self.clip_range_score)


# --- re-typed from safe_rlhf/trainers/rl_trainer.py@82743cc, lines 630-651 ---
def get_advantages_and_returns(self, values, rewards, sequence_mask, start):
    last_gae_lambda = 0.0
    advantages_reversed = []
    values = values * sequence_mask
    rewards = rewards * sequence_mask
    length = rewards.size(-1)
    for t in reversed(range(start, length)):
        next_values = values[:, t + 1] if t < length - 1 else 0.0
        delta = rewards[:, t] + self.gamma * next_values - values[:, t]
        last_gae_lambda = delta + self.gamma * self.gae_lambda * last_gae_lambda
        advantages_reversed.append(last_gae_lambda)
    advantages = torch.stack(advantages_reversed[::-1], dim=1)
    returns = advantages + values[:, start:]
    return advantages.detach(), returns


# --- re-typed from safe_rlhf/trainers/rl_trainer.py@82743cc, lines 653-669 ---
def critic_loss_fn(self, values, old_values, returns, mask):
    values_clipped = torch.clamp(values, old_values - self.clip_range_value, old_values + self.clip_range_value)
    vf_loss1 = torch.square(values - returns)
    vf_loss2 = torch.square(values_clipped - returns)
    return 0.5 * masked_mean(torch.maximum(vf_loss1, vf_loss2), mask)


# --- re-typed from safe_rlhf/algorithms/ppo_lag/trainer.py@82743cc, lines 289-309 ---
def actor_loss_fn_lag(self, log_probs, old_log_probs, reward_advantages, cost_advantages, mask):
    multiplier = self.log_lambda.exp().item()
    advantages = (reward_advantages - multiplier * cost_advantages) / (1.0 + multiplier)
    ratios = torch.exp(log_probs - old_log_probs)
    surrogate1 = advantages * ratios
    surrogate2 = advantages * torch.clamp(ratios, 1.0 - self.clip_range_ratio, 1.0 + self.clip_range_ratio)
    surrogate = torch.minimum(surrogate1, surrogate2)
    return -masked_mean(surrogate, mask)


# --- re-typed from safe_rlhf/algorithms/ppo/trainer.py@82743cc, lines 127-143 ---
def actor_loss_fn_ppo(self, log_probs, old_log_probs, advantages, mask):
    ratios = torch.exp(log_probs - old_log_probs)
    surrogate1 = advantages * ratios
    surrogate2 = advantages * torch.clamp(ratios, 1.0 - self.clip_range_ratio, 1.0 + self.clip_range_ratio)
    surrogate = torch.minimum(surrogate1, surrogate2)
    return -masked_mean(surrogate, mask)


class Lagrange:
    """PPOLagTrainer's multiplier: __init__ (lines 58-67), post_rollout's extend (line 197), rl_step's step (312-326)."""

    def __init__(self, lambda_init, lambda_lr, lambda_max, lambda_update_delay_steps, episode_cost_window_size,
                 threshold):
        # --- re-typed from ppo_lag/trainer.py@82743cc, lines 59-67 ---
        self.log_lambda = torch.nn.Parameter(torch.tensor(np.log(lambda_init)), requires_grad=True)
        self.log_lambda_max = np.log(lambda_max) if lambda_max else None
        self.log_lambda_optimizer = torch.optim.SGD([self.log_lambda], lr=lambda_lr)
        self.lambda_update_delay_steps = lambda_update_delay_steps
        self.episode_costs = deque(maxlen=episode_cost_window_size)
        self.threshold = threshold
        self.global_step = 0

    def post_rollout(self, cost):
        self.episode_costs.extend(cost.tolist())  # line 197

    def rl_step(self):
        # --- re-typed from ppo_lag/trainer.py@82743cc, lines 313-324 (dist.reduce/broadcast: one process) ---
        episode_cost = torch.tensor(self.episode_costs).mean()
        if self.global_step >= self.lambda_update_delay_steps:
            lambda_loss = -(episode_cost - self.threshold) * self.log_lambda.exp()
            self.log_lambda_optimizer.zero_grad()
            lambda_loss.backward()
            self.log_lambda_optimizer.step()
            if self.log_lambda_max is not None:
                with torch.no_grad():
                    self.log_lambda.clamp_(max=self.log_lambda_max)
        multiplier = self.log_lambda.exp().item()  # what this rl_step's actor_loss_fn uses (line 297)
        self.global_step += 1  # rl_trainer.py line 528
        return episode_cost.item(), multiplier


# --- re-typed from safe_rlhf/models/score_model/__init__.py@82743cc, lines 197-213 (the gather of end_scores) ---
def end_scores(scores, attention_mask):  # scores (B, L), attention_mask (B, L) -> (B,)
    end_index = torch.cat([m.nonzero()[-1] for m in attention_mask])
    return torch.gather(scores, dim=1, index=end_index.unsqueeze(dim=1)).squeeze(dim=1)


# --- re-typed from safe_rlhf/values/reward/trainer.py@82743cc, lines 222-230 (sequence-wise) ---
def reward_loss(higher_end_reward, lower_end_reward, regularization):
    loss = -F.logsigmoid(higher_end_reward - lower_end_reward).mean()
    if regularization > 0.0:
        loss = loss + regularization * torch.stack([lower_end_reward, higher_end_reward]).square().mean()
    return loss


# --- re-typed from safe_rlhf/values/cost/trainer.py@82743cc, lines 219-222 and 260-272 (sequence-wise) ---
def cost_loss(lower_end_cost, higher_end_cost, safer_safety_sign, unsafer_safety_sign, regularization):
    lower_cost_sign = -safer_safety_sign
    higher_cost_sign = -unsafer_safety_sign
    loss = (
        -F.logsigmoid(higher_end_cost - lower_end_cost)
        - F.logsigmoid(lower_cost_sign * lower_end_cost)
        - F.logsigmoid(higher_cost_sign * higher_end_cost)
    ).mean()
    if regularization > 0.0:
        loss = loss + regularization * torch.stack([lower_end_cost, higher_end_cost]).square().mean()
    return loss


def f32(t):  # float32 numbers, then computed in float64
    return t.to(torch.float32).to(torch.float64)


def rollout(g):
    """One rollout batch as upstream's post_rollout returns it, with the new policy's and critics' numbers."""
    B, P, A = 4, 5, 7
    prompt_real = [5, 2, 4, 3]
    answer_len = [7, 5, 3, 1]                   # row 0 fills the answer; the others are right padded
    L = P + A
    attention_mask = torch.zeros(B, L, dtype=torch.bool)
    for j in range(B):
        attention_mask[j, P - prompt_real[j]:P] = True
        attention_mask[j, P:P + answer_len[j]] = True
    prompt = torch.zeros(B, P, dtype=torch.long)   # only its size is read (start = P - 1)
    # Every position carries a number, padding included, as a real forward pass gives.
    log_probs = f32(-0.1 - 2.9 * torch.rand(B, L - 1, generator=g))
    ref_log_probs = f32(log_probs + 0.4 * torch.randn(B, L - 1, generator=g))
    reward_values = f32(torch.randn(B, L - 1, generator=g))
    cost_values = f32(torch.randn(B, L - 1, generator=g))
    reward = f32(torch.tensor([1.75, -0.5, 61.0, -2.25]))    # row 2 clamped at +50 with its KL term
    cost = f32(torch.tensor([-3.5, 2.0, 0.75, -55.0]))       # row 3 clamped at -50
    new_log_probs = f32(log_probs + 0.25 * torch.randn(B, L - 1, generator=g))    # some ratios beyond 1 +- 0.2
    new_reward_values = f32(reward_values + 4.0 * torch.randn(B, L - 1, generator=g))  # some beyond +- 5
    new_cost_values = f32(cost_values + 4.0 * torch.randn(B, L - 1, generator=g))
    return dict(B=B, P=P, A=A, prompt_real=prompt_real, answer_len=answer_len, attention_mask=attention_mask,
                prompt=prompt, log_probs=log_probs, ref_log_probs=ref_log_probs, reward_values=reward_values,
                cost_values=cost_values, reward=reward, cost=cost, new_log_probs=new_log_probs,
                new_reward_values=new_reward_values, new_cost_values=new_cost_values)


def ppo_lag(self, r, log_lambda):
    """rl_step of ppo_lag/trainer.py lines 328-403 on one micro-batch, lambda at log_lambda."""
    self.log_lambda = torch.tensor(log_lambda, dtype=torch.float64)
    start = r["prompt"].size(-1) - 1
    sequence_mask = r["attention_mask"][:, 1:]
    old_rewards, old_costs = add_kl_divergence_regularization_lag(
        self, r["reward"], r["cost"], r["prompt"], r["log_probs"], r["ref_log_probs"], sequence_mask)
    reward_advantages, reward_returns = get_advantages_and_returns(self, r["reward_values"], old_rewards,
                                                                   sequence_mask, start)
    cost_advantages, cost_returns = get_advantages_and_returns(self, r["cost_values"], old_costs, sequence_mask, start)
    actor_loss = actor_loss_fn_lag(self, r["new_log_probs"][:, start:], r["log_probs"][:, start:], reward_advantages,
                                   cost_advantages, sequence_mask[:, start:])
    reward_critic_loss = critic_loss_fn(self, r["new_reward_values"][:, start:], r["reward_values"][:, start:],
                                        reward_returns, sequence_mask[:, start:])
    cost_critic_loss = critic_loss_fn(self, r["new_cost_values"][:, start:], r["cost_values"][:, start:],
                                      cost_returns, sequence_mask[:, start:])
    return {
        "start": start,
        "log_lambda": log_lambda,
        "old_rewards": old_rewards.tolist(), "old_costs": old_costs.tolist(),     # (B, L - 1)
        "reward_advantages": reward_advantages.tolist(), "reward_returns": reward_returns.tolist(),   # (B, A)
        "cost_advantages": cost_advantages.tolist(), "cost_returns": cost_returns.tolist(),
        "actor_loss": actor_loss.item(),
        "reward_critic_loss": reward_critic_loss.item(),
        "cost_critic_loss": cost_critic_loss.item(),
    }


def reward_shaping(self, r, lambda_value):
    """rl_step of ppo_reward_shaping/trainer.py lines 201-253: one critic on the shaped score."""
    start = r["prompt"].size(-1) - 1
    sequence_mask = r["attention_mask"][:, 1:]
    shaped_reward = r["reward"] - lambda_value * r["cost"]
    old_shaped_rewards = add_kl_divergence_regularization_ppo(self, shaped_reward, r["prompt"], r["log_probs"],
                                                             r["ref_log_probs"], sequence_mask)
    advantages, returns = get_advantages_and_returns(self, r["reward_values"], old_shaped_rewards, sequence_mask,
                                                     start)
    actor_loss = actor_loss_fn_ppo(self, r["new_log_probs"][:, start:], r["log_probs"][:, start:], advantages,
                                   sequence_mask[:, start:])
    critic_loss = critic_loss_fn(self, r["new_reward_values"][:, start:], r["reward_values"][:, start:], returns,
                                 sequence_mask[:, start:])
    return {
        "lambda": lambda_value,
        "shaped_reward": shaped_reward.tolist(),
        "old_rewards": old_shaped_rewards.tolist(),
        "advantages": advantages.tolist(), "returns": returns.tolist(),
        "actor_loss": actor_loss.item(), "critic_loss": critic_loss.item(),
    }


def lambda_schedule():
    """Three rollouts of 4 episodes, 2 micro-batches each, update_iters 2 (rl_trainer.py lines 500-528)."""
    settings = dict(lambda_init=1.0, lambda_lr=0.5, lambda_max=2.5, lambda_update_delay_steps=2,
                    episode_cost_window_size=6, threshold=0.25)
    lag = Lagrange(**settings)
    rollouts = [[2.0, -1.0, 3.0, 0.5], [1.25, 0.75, -0.5, 2.5], [-4.0, -3.5, -2.75, -5.0]]
    micro_batches, update_iters = 2, 2
    steps = []
    for costs in rollouts:
        lag.post_rollout(f32(torch.tensor(costs)).to(torch.float32))
        for _ in range(update_iters):
            for _ in range(micro_batches):
                episode_cost, multiplier = lag.rl_step()
                steps.append({"episode_cost": episode_cost, "lambda": multiplier})
    return {"settings": settings, "rollouts": rollouts, "micro_batches": micro_batches, "update_iters": update_iters,
            "rl_steps": steps}


def preference_losses(g):
    """End scores of right-padded sequences of different lengths, then both sequence-wise losses."""
    P, T = 4, 6
    lengths_a, lengths_b = [6, 3, 5, 2], [4, 6, 2, 5]

    def batch(lengths):
        mask = torch.zeros(P, T, dtype=torch.bool)
        for i, n in enumerate(lengths):
            mask[i, :n] = True
        return f32(3.0 * torch.randn(P, T, generator=g)), mask

    scores_a, mask_a = batch(lengths_a)    # reward: the better answers; cost: the unsafer ones
    scores_b, mask_b = batch(lengths_b)    # reward: the worse answers; cost: the safer ones
    end_a, end_b = end_scores(scores_a, mask_a), end_scores(scores_b, mask_b)
    regularization = 0.001
    unsafer_safety_sign = torch.tensor([-1, -1, 1, -1], dtype=torch.float64)  # +1 safe / -1 unsafe
    safer_safety_sign = torch.tensor([1, -1, 1, 1], dtype=torch.float64)
    return {
        "scores_a": scores_a.tolist(), "mask_a": mask_a.int().tolist(),
        "scores_b": scores_b.tolist(), "mask_b": mask_b.int().tolist(),
        "regularization": regularization,
        "unsafer_safety_sign": unsafer_safety_sign.tolist(), "safer_safety_sign": safer_safety_sign.tolist(),
        "end_a": end_a.tolist(), "end_b": end_b.tolist(),
        "reward_loss": reward_loss(end_a, end_b, regularization).item(),
        "cost_loss": cost_loss(end_b, end_a, safer_safety_sign, unsafer_safety_sign, regularization).item(),
    }


def main():
    g = torch.Generator().manual_seed(20250213)
    self = S()
    r = rollout(g)
    inputs = {k: (v.int().tolist() if v.dtype == torch.bool else v.tolist()) if torch.is_tensor(v) else v
              for k, v in r.items() if k != "prompt"}
    inputs["sequence_mask"] = r["attention_mask"][:, 1:].int().tolist()
    inputs["kl_coeff"] = self.kl_coeff
    fixture = {
        "upstream": UPSTREAM,
        "inputs": inputs,
        "ppo_lag": ppo_lag(self, r, float(np.log(1.75))),
        "reward_shaping": reward_shaping(self, r, 1.0),
        "lambda": lambda_schedule(),
        "preference": preference_losses(g),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "beaver.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
