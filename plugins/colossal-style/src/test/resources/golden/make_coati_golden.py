#!/usr/bin/env python3
"""Makes coati.json, the golden fixture of CoatiGoldenTest. Ours; not run by the build.

Upstream: hpcaitech/ColossalAI, two versions of Coati. Each function below is re-typed line for line from the
file and lines named above it; nothing else of upstream is used.

  v1 = commit 7b9b86441fbffdd07021f234ec88d0dbc470fa5c, applications/Chat/coati/
    models/utils.py          _compute_approx_kl 7-26, compute_reward 29-40, masked_mean 64-69
    models/loss.py           PolicyLoss 26-49, ValueLoss 52-73, LogSigLoss 76-86, LogExpLoss 89-97
    experience_maker/naive.py  advantage = reward - value, lines 62-69 (the critic's one value per sequence)
    trainer/ppo.py           defaults kl_coef 0.1, eps_clip 0.2, value_clip 0.4 (lines 72-79)
  v2 = commit 4f9953be335ef371b3848719ddafe596c01ecd37, applications/ColossalChat/coati/
    models/utils.py          compute_reward 13-38, _log_probs_from_logits 41-54, masked_mean 72-89,
                             calc_masked_log_probs 92-112
    experience_maker/naive.py  calculate_advantage 63-84 (gamma 1.0, lam 0.95: lines 41-42), value masking line 277
    models/loss.py           PolicyLoss 31-67, ValueLoss 70-94, DpoLoss 97-171, LogSigLoss 174-181,
                             LogExpLoss 184-192, OddsRatioLoss 195-216
    trainer/orpo.py          loss = chosen_nll - odds_ratio_loss * lam, lines 144-163 (chosen_nll: the causal LM
                             loss of transformers with labels = chosen_input_ids, re-typed as lm_loss below)
    examples/training_scripts/train_dpo.py  simpo_loss: length_normalization, gamma 1.4 (lines 375-377)

Shapes. PPO: B sequences, T answer positions, action masks that are prefixes (Coati's generation up to the stop
token), answers of different lengths. Preference: P pairs of L tokens each; index j of a log-prob row predicts token
j + 1 (calc_masked_log_probs' logits[:, :-1] and sequences[:, 1:]); loss masks mark the answer tokens. The chosen
rows all fill L (prompts of different lengths) so that the LM loss over all positions is the loss over real tokens;
rejected rows are right padded.

Inputs are float32 numbers (stored exactly); the upstream math runs in float64 on them, except OddsRatioLoss,
which casts to float32 itself (its bfloat16 cast of the returned term is recorded apart).

Regenerate (from the repository root), with PyTorch installed:
  python3 plugins/colossal-style/src/test/resources/golden/make_coati_golden.py
"""
import json
import os

import torch
import torch.nn as nn

UPSTREAM = {
    "repo": "hpcaitech/ColossalAI",
    "v1": {"commit": "7b9b86441fbffdd07021f234ec88d0dbc470fa5c", "root": "applications/Chat/coati"},
    "v2": {"commit": "4f9953be335ef371b3848719ddafe596c01ecd37", "root": "applications/ColossalChat/coati"},
}


# ---------------- v1, models/utils.py@7b9b86441 ----------------
def v1_masked_mean(tensor, mask, dim=1):                                     # lines 64-69
    tensor = tensor * mask
    tensor = tensor.sum(dim=dim)
    mask_sum = mask.sum(dim=dim)
    mean = tensor / (mask_sum + 1e-8)
    return mean


def v1_compute_approx_kl(log_probs, log_probs_base, action_mask=None):      # lines 7-26
    log_ratio = log_probs_base - log_probs
    approx_kl = (log_ratio.exp() - 1) - log_ratio
    if action_mask is not None:
        approx_kl = v1_masked_mean(approx_kl, action_mask, dim=1)
        return approx_kl
    approx_kl = approx_kl.mean(dim=1)
    return approx_kl


def v1_compute_reward(r, kl_coef, log_probs, log_probs_base, action_mask=None):   # lines 29-40
    if kl_coef <= 0.0:
        return r
    kl = v1_compute_approx_kl(log_probs, log_probs_base, action_mask=action_mask)
    reward = r - kl_coef * kl
    return reward


# ---------------- v1, models/loss.py@7b9b86441 ----------------
class V1PolicyLoss(nn.Module):                                               # lines 26-49
    def __init__(self, clip_eps: float = 0.2) -> None:
        super().__init__()
        self.clip_eps = clip_eps

    def forward(self, log_probs, old_log_probs, advantages, action_mask=None):
        ratio = (log_probs - old_log_probs).exp()
        surr1 = ratio * advantages
        surr2 = ratio.clamp(1 - self.clip_eps, 1 + self.clip_eps) * advantages
        loss = -torch.min(surr1, surr2)
        if action_mask is not None:
            loss = v1_masked_mean(loss, action_mask)
        loss = loss.mean()
        return loss


class V1ValueLoss(nn.Module):                                                # lines 52-73
    def __init__(self, clip_eps: float = 0.4) -> None:
        super().__init__()
        self.clip_eps = clip_eps

    def forward(self, values, old_values, reward, action_mask=None):
        values_clipped = old_values + (values - old_values).clamp(-self.clip_eps, self.clip_eps)
        surr1 = (values_clipped - reward) ** 2
        surr2 = (values - reward) ** 2
        loss = torch.max(surr1, surr2)
        loss = loss.mean()
        return 0.5 * loss


class V1LogSigLoss(nn.Module):                                               # lines 76-86
    def forward(self, chosen_reward, reject_reward):
        probs = torch.sigmoid(chosen_reward - reject_reward)
        log_probs = torch.log(probs)
        loss = -log_probs.mean()
        return loss


class V1LogExpLoss(nn.Module):                                               # lines 89-97
    def forward(self, chosen_reward, reject_reward):
        loss = torch.log(1 + torch.exp(reject_reward - chosen_reward)).mean()
        return loss


# ---------------- v2, models/utils.py@4f9953be3 ----------------
def v2_compute_reward(r, kl_coef, log_probs, log_probs_base, action_mask=None, reward_eps=5):   # lines 13-38
    log_ratio = log_probs - log_probs_base  # address numerical instability issue
    kl = -kl_coef * log_ratio * action_mask
    reward = kl
    r_clip = torch.clamp(r, -reward_eps, reward_eps)
    for i in range(action_mask.size(0)):
        assert action_mask[i].sum() > 0
        reward[i, : action_mask[i].sum()] += r_clip[i]
        reward[i, action_mask[i].sum() :] *= 0
    return reward, ((log_ratio * (log_ratio < 10)).exp() - 1 - log_ratio) * action_mask


def _log_probs_from_logits(logits, labels):                                 # lines 41-54
    log_probs = torch.nn.functional.log_softmax(logits, dim=-1)
    per_label_logps = log_probs.gather(dim=-1, index=labels.unsqueeze(-1))
    return per_label_logps.squeeze(-1)


def v2_masked_mean(tensor, mask, dim=1):                                     # lines 72-89
    tensor = tensor * mask
    tensor = tensor.sum(dim=dim)
    mask_sum = mask.sum(dim=dim)
    mean = tensor / (mask_sum + 1e-8)
    return mean


def calc_masked_log_probs(logits, sequences, mask, length_normalization=False):   # lines 92-112
    log_probs = _log_probs_from_logits(logits[:, :-1, :], sequences[:, 1:])
    if not length_normalization:
        return log_probs * mask
    else:
        return log_probs * mask / (mask.sum(dim=-1, keepdim=True) + 0.01)


# ---------------- v2, experience_maker/naive.py@4f9953be3 ----------------
class Gae:                                                                   # lines 41-42, 63-84
    gamma = 1.0
    lam = 0.95

    def calculate_advantage(self, value, reward, num_actions):
        lastgaelam = 0
        advantages_reversed = []
        for t in reversed(range(num_actions)):
            nextvalues = value[:, t + 1] if t < num_actions - 1 else 0.0
            delta = reward[:, t] + self.gamma * nextvalues - value[:, t]
            lastgaelam = delta + self.gamma * self.lam * lastgaelam
            advantages_reversed.append(lastgaelam)
        advantages = torch.stack(advantages_reversed[::-1], dim=1)
        return advantages


# ---------------- v2, models/loss.py@4f9953be3 ----------------
class V2PolicyLoss(nn.Module):                                               # lines 31-67
    def __init__(self, clip_eps: float = 0.2, skip_threshold: float = 20.0) -> None:
        super().__init__()
        self.clip_eps = clip_eps
        self.skip_threshold = skip_threshold

    def forward(self, log_probs, old_log_probs, advantages, action_mask=None):
        skip = False
        if action_mask is None:
            ratio_ = (log_probs - old_log_probs).exp()
        else:
            ratio_ = ((log_probs - old_log_probs) * action_mask).exp()

        # note that if dropout is disabled (recommanded), ratio will always be 1.
        if ratio_.mean() > self.skip_threshold:
            skip = True

        ratio = ratio_.clamp(0.0, 10.0)
        surr1 = ratio * advantages
        surr2 = ratio.clamp(1 - self.clip_eps, 1 + self.clip_eps) * advantages
        loss = -torch.min(surr1, surr2)
        if action_mask is not None:
            loss = v2_masked_mean(loss, action_mask)
        else:
            loss = loss.mean(dim=1)
        loss = loss.mean()
        return loss, skip, ratio_.max()


class V2ValueLoss(nn.Module):                                                # lines 70-94
    def __init__(self, clip_eps: float = 0.2) -> None:
        super().__init__()
        self.clip_eps = clip_eps

    def forward(self, values, old_values, advantage, action_mask=None):
        returns = advantage + old_values
        values_clipped = old_values + (values - old_values).clamp(-self.clip_eps, self.clip_eps)
        surr1 = (values_clipped - returns) ** 2
        surr2 = (values - returns) ** 2
        if action_mask is not None:
            loss = torch.sum(torch.max(surr1, surr2) / torch.sum(action_mask) * action_mask)
        else:
            loss = torch.mean(torch.max(surr1, surr2))
        return 0.5 * loss


class DpoLoss(nn.Module):                                                    # lines 97-171
    def __init__(self, beta: float = 0.1, gamma: float = 0.0):
        super().__init__()
        self.beta = beta
        self.gamma = gamma

    def forward(self, logprob_actor_chosen, logprob_actor_reject, logprob_ref_chosen, logprob_ref_reject,
                chosen_mask, reject_mask):
        logprob_actor_chosen = logprob_actor_chosen * chosen_mask
        logprob_actor_reject = logprob_actor_reject * reject_mask
        if logprob_ref_chosen is not None and logprob_ref_reject is not None:
            logprob_ref_chosen = logprob_ref_chosen * chosen_mask
            logprob_ref_reject = logprob_ref_reject * reject_mask
            if len(logprob_ref_chosen.shape) == 2:
                ref_logratios = logprob_ref_chosen.sum(-1) - logprob_ref_reject.sum(-1)
            else:
                ref_logratios = logprob_ref_chosen - logprob_ref_reject
        else:
            # If no reference model is provided
            ref_logratios = 0.0

        pi_logratios = logprob_actor_chosen.sum(-1) - logprob_actor_reject.sum(-1)
        logits = pi_logratios - ref_logratios - self.gamma / self.beta
        losses = -torch.nn.functional.logsigmoid(self.beta * logits)
        loss = losses.mean()
        # Calculate rewards for logging
        if logprob_ref_chosen is not None:
            chosen_rewards = self.beta * (logprob_actor_chosen.sum(-1) - logprob_ref_chosen.sum(-1)).detach()
        else:
            chosen_rewards = self.beta * logprob_actor_chosen.sum(-1).detach()
        if logprob_ref_reject is not None:
            rejected_rewards = self.beta * (logprob_actor_reject.sum(-1) - logprob_ref_reject.sum(-1)).detach()
        else:
            rejected_rewards = self.beta * logprob_actor_reject.sum(-1).detach()

        return loss, chosen_rewards, rejected_rewards


class V2LogSigLoss(nn.Module):                                               # lines 174-181
    def forward(self, chosen_reward, reject_reward):
        return -torch.nn.functional.logsigmoid(chosen_reward - reject_reward).mean()


class V2LogExpLoss(nn.Module):                                               # lines 184-192
    def forward(self, chosen_reward, reject_reward):
        loss = torch.log(1 + torch.exp(reject_reward - chosen_reward)).mean()
        return loss


class OddsRatioLoss(nn.Module):                                              # lines 195-216
    def forward(self, chosen_logp, reject_logp, chosen_loss_mask, reject_loss_mask):
        chosen_logp = chosen_logp.to(dtype=torch.float32)
        reject_logp = reject_logp.to(dtype=torch.float32)
        chosen_odds = chosen_logp - torch.log(-torch.exp(chosen_logp) + 1.0001)
        chosen_odds_masked = torch.sum(chosen_odds * chosen_loss_mask.float()) / torch.sum(chosen_loss_mask)
        reject_odds = reject_logp - torch.log(-torch.exp(reject_logp) + 1.0001)
        reject_odds_masked = torch.sum(reject_odds * reject_loss_mask.float()) / torch.sum(reject_loss_mask)
        log_odds_ratio = chosen_odds_masked - reject_odds_masked
        ratio = torch.log(torch.nn.functional.sigmoid(log_odds_ratio))
        return ratio.to(dtype=torch.bfloat16), log_odds_ratio


def lm_loss(logits, labels):
    # transformers' causal-LM loss with labels (what orpo.py line 159 reads as actor_out["loss"]): shift by one,
    # cross entropy with ignore_index -100, mean over the kept positions.
    shift_logits = logits[..., :-1, :].contiguous()
    shift_labels = labels[..., 1:].contiguous()
    return torch.nn.functional.cross_entropy(shift_logits.view(-1, shift_logits.size(-1)), shift_labels.view(-1),
                                             ignore_index=-100)


def f32(t):
    return t.to(torch.float32).to(torch.float64)


def ppo(g):
    B, T = 4, 6
    answer_len = [6, 4, 2, 5]
    mask = torch.zeros(B, T, dtype=torch.float64)
    for b in range(B):
        mask[b, :answer_len[b]] = 1
    log_probs = f32(-0.1 - 2.9 * torch.rand(B, T, generator=g))
    ref_log_probs = f32(log_probs + 0.4 * torch.randn(B, T, generator=g))
    ref_log_probs[3] = log_probs[3] - 3.0            # row 3: log pi - log ref = 3 nats on every token
    scores = f32(torch.tensor([7.25, -1.5, -6.125, 0.75]))   # two clamped at +-5 by v2
    kl_coef = 0.1
    inputs = {"B": B, "T": T, "answer_len": answer_len, "mask": mask.tolist(), "log_probs": log_probs.tolist(),
              "ref_log_probs": ref_log_probs.tolist(), "scores": scores.tolist(), "kl_coef": kl_coef}
    out = {}

    # v1: one value per sequence (the critic at the last real token), one reward, advantage = reward - value
    v1_value = f32(torch.randn(B, generator=g))
    v1_kl = v1_compute_approx_kl(log_probs, ref_log_probs, action_mask=mask)
    v1_reward = v1_compute_reward(scores, kl_coef, log_probs, ref_log_probs, action_mask=mask)
    v1_adv = v1_reward - v1_value                    # naive.py line 66
    new_log_probs = f32(log_probs + 0.3 * torch.randn(B, T, generator=g))
    new_log_probs[0, 0] = log_probs[0, 0] + 3.5     # ratio e^3.5 = 33: v1 has no clamp
    v1_new_value = f32(v1_value + 0.6 * torch.randn(B, generator=g))   # some moves beyond 0.4
    v1_policy = V1PolicyLoss(0.2)(new_log_probs, log_probs, v1_adv.unsqueeze(-1), action_mask=mask)
    v1_vloss = V1ValueLoss(0.4)(v1_new_value, v1_value, v1_reward)
    inputs.update({"v1_value": v1_value.tolist(), "new_log_probs": new_log_probs.tolist(),
                   "v1_new_value": v1_new_value.tolist()})
    out.update({"v1_kl": v1_kl.tolist(), "v1_reward": v1_reward.tolist(), "v1_advantage": v1_adv.tolist(),
                "v1_policy_loss": v1_policy.item(), "v1_value_loss": v1_vloss.item(),
                "v1_reward_no_kl": v1_compute_reward(scores, 0.0, log_probs, ref_log_probs, mask).tolist()})

    # v2: per-token reward, GAE over the masked values (naive.py line 277), PolicyLoss with clamp and skip
    v2_value = f32(torch.randn(B, T, generator=g)) * mask
    # upstream's action_mask is bool (naive.py lines 171-199): its sum() indexes the reward row
    v2_reward, _ = v2_compute_reward(scores, kl_coef, log_probs, ref_log_probs, action_mask=mask.bool())
    v2_adv = Gae().calculate_advantage(v2_value, v2_reward, T)
    v2_new_value = f32(v2_value + 0.3 * torch.randn(B, T, generator=g))
    v2_policy, v2_skip, _ = V2PolicyLoss(0.2, 20.0)(new_log_probs, log_probs, v2_adv, action_mask=mask)
    v2_vloss = V2ValueLoss(0.2)(v2_new_value, v2_value, v2_adv, action_mask=mask)
    # the skip test, one ratio raised in the 4 x 6 block (17 answer tokens): e^6.5 skips (unmasked mean 30.0,
    # masked 41.9); e^5.5 does not (12.5, 17.2); e^6.05 does not either, though its masked mean 27.7 is above 20:
    # upstream averages over all 24 positions (19.95)
    skips = []
    for bump in (6.5, 5.5, 6.05):
        wild = new_log_probs.clone()
        wild[1, 0] = log_probs[1, 0] + bump
        loss, skip, _ = V2PolicyLoss(0.2, 20.0)(wild, log_probs, v2_adv, action_mask=mask)
        ratio_ = ((wild - log_probs) * mask).exp()
        skips.append({"bump": bump, "skip": bool(skip), "loss": loss.item(), "unmasked_mean": ratio_.mean().item(),
                      "masked_mean": (ratio_ * mask).sum().item() / mask.sum().item()})
    inputs.update({"v2_value": v2_value.tolist(), "v2_new_value": v2_new_value.tolist()})
    out.update({"v2_reward": v2_reward.tolist(), "v2_advantage": v2_adv.tolist(), "v2_policy_loss": v2_policy.item(),
                "v2_skip": bool(v2_skip), "v2_value_loss": v2_vloss.item(), "v2_skips": skips})
    return inputs, out


def preference(g):
    P, L, V = 3, 10, 11
    prompt_len = [3, 4, 5]
    chosen_answer = [7, 6, 5]            # chosen rows fill L
    rejected_answer = [5, 6, 2]          # rejected rows are right padded with id 0
    pad = 0
    chosen_ids = torch.randint(1, V, (P, L), generator=g)
    rejected_ids = chosen_ids.clone()
    chosen_loss_mask = torch.zeros(P, L)
    rejected_loss_mask = torch.zeros(P, L)
    for p in range(P):
        n = prompt_len[p]
        rejected_ids[p, n:] = torch.randint(1, V, (L - n,), generator=g)
        rejected_ids[p, n + rejected_answer[p]:] = pad
        chosen_loss_mask[p, n:n + chosen_answer[p]] = 1
        rejected_loss_mask[p, n:n + rejected_answer[p]] = 1
    logits = {k: f32(2.0 * torch.randn(P, L, V, generator=g)) for k in ("actor_c", "actor_r", "ref_c", "ref_r")}
    cm, rm = chosen_loss_mask[:, 1:].to(torch.float64), rejected_loss_mask[:, 1:].to(torch.float64)
    tokens = {
        "actor_chosen": _log_probs_from_logits(logits["actor_c"][:, :-1, :], chosen_ids[:, 1:]),
        "actor_rejected": _log_probs_from_logits(logits["actor_r"][:, :-1, :], rejected_ids[:, 1:]),
        "ref_chosen": _log_probs_from_logits(logits["ref_c"][:, :-1, :], chosen_ids[:, 1:]),
        "ref_rejected": _log_probs_from_logits(logits["ref_r"][:, :-1, :], rejected_ids[:, 1:]),
    }
    prompt_mask = torch.zeros(P, L - 1, dtype=torch.float64)    # targets 1 .. |x| - 1 of the chosen rows (ours)
    for p in range(P):
        prompt_mask[p, :prompt_len[p] - 1] = 1
    inputs = {"P": P, "L": L, "prompt_len": prompt_len, "chosen_answer": chosen_answer,
              "rejected_answer": rejected_answer, "chosen_mask": cm.tolist(), "rejected_mask": rm.tolist(),
              "prompt_mask": prompt_mask.tolist(), **{k: v.tolist() for k, v in tokens.items()}}

    def lp(name, mask, norm):
        return calc_masked_log_probs(logits[name], chosen_ids if name.endswith("c") else rejected_ids, mask, norm)

    out = {}
    # DPO (train_dpo.py defaults: beta 0.1, gamma 0, no length normalisation, a reference model)
    dpo = DpoLoss(0.1, 0.0)
    loss, cr, rr = dpo(lp("actor_c", cm, False), lp("actor_r", rm, False), lp("ref_c", cm, False),
                       lp("ref_r", rm, False), cm, rm)
    out["dpo"] = {"loss": loss.item(), "chosen_rewards": cr.tolist(), "rejected_rewards": rr.tolist()}
    # SimPO (--loss_type simpo_loss: length normalisation, gamma 1.4, beta 0.1), with and without the reference
    simpo = DpoLoss(0.1, 1.4)
    loss, cr, rr = simpo(lp("actor_c", cm, True), lp("actor_r", rm, True), lp("ref_c", cm, True),
                         lp("ref_r", rm, True), cm, rm)
    out["simpo"] = {"loss": loss.item(), "chosen_rewards": cr.tolist(), "rejected_rewards": rr.tolist()}
    loss, cr, rr = simpo(lp("actor_c", cm, True), lp("actor_r", rm, True), None, None, cm, rm)
    out["simpo_no_reference"] = {"loss": loss.item(), "chosen_rewards": cr.tolist(), "rejected_rewards": rr.tolist()}
    # ORPO (orpo.py lines 144-163, lam 0.1): the NLL of the chosen ids, the rejected labels all -100
    lam = 0.1
    all_logits = torch.cat([logits["actor_c"], logits["actor_r"]])
    labels = torch.cat([chosen_ids, torch.ones_like(rejected_ids) * -100])
    chosen_nll = lm_loss(all_logits, labels)
    odds_ratio_loss, log_odds_ratio = OddsRatioLoss()(lp("actor_c", cm, False), lp("actor_r", rm, False), cm, rm)
    ratio32 = torch.log(torch.nn.functional.sigmoid(log_odds_ratio))
    out["orpo"] = {"chosen_nll": chosen_nll.item(), "log_odds_ratio": log_odds_ratio.item(),
                   "ratio_float32": ratio32.item(), "ratio_bfloat16": odds_ratio_loss.float().item(),
                   "loss_float32_ratio": (chosen_nll - ratio32 * lam).item(),
                   "loss_upstream": (chosen_nll - odds_ratio_loss * lam).item()}
    # LogSig and LogExp reward losses (v1 and v2) on last-token scores, one margin large
    chosen_r = f32(torch.tensor([1.5, -0.25, 8.0, 0.5]))
    reject_r = f32(torch.tensor([0.5, 0.75, -1.0, 0.5]))
    inputs.update({"chosen_reward": chosen_r.tolist(), "reject_reward": reject_r.tolist()})
    out["log_sig_v1"] = V1LogSigLoss()(chosen_r, reject_r).item()
    out["log_exp_v1"] = V1LogExpLoss()(chosen_r, reject_r).item()
    out["log_sig_v2"] = V2LogSigLoss()(chosen_r, reject_r).item()
    out["log_exp_v2"] = V2LogExpLoss()(chosen_r, reject_r).item()
    return inputs, out


def main():
    g = torch.Generator().manual_seed(20251203)
    ppo_in, ppo_out = ppo(g)
    pref_in, pref_out = preference(g)
    out = {"upstream": UPSTREAM, "torch": torch.__version__,
           "settings": {"v1": {"kl_coef": 0.1, "eps_clip": 0.2, "value_clip": 0.4},
                        "v2": {"kl_coef": 0.1, "eps_clip": 0.2, "skip_threshold": 20.0, "ratio_max": 10.0,
                               "value_clip": 0.2, "reward_eps": 5, "gamma": 1.0, "lam": 0.95},
                        "dpo": {"beta": 0.1}, "simpo": {"beta": 0.1, "gamma": 1.4}, "orpo": {"lam": 0.1}},
           "ppo": {"inputs": ppo_in, "outputs": ppo_out},
           "preference": {"inputs": pref_in, "outputs": pref_out}}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "coati.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print("wrote", path)
    print("v1 kl", ppo_out["v1_kl"], "v2 skips", [(s["bump"], s["skip"], round(s["unmasked_mean"], 2),
                                                    round(s["masked_mean"], 2)) for s in ppo_out["v2_skips"]])
    print("orpo", pref_out["orpo"])


if __name__ == "__main__":
    main()
