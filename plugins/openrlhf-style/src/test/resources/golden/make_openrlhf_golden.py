#!/usr/bin/env python3
"""Generate openrlhf_advantages.json: a golden fixture made by OpenRLHF's OWN advantage code.

Upstream
--------
  repo:   https://github.com/OpenRLHF/OpenRLHF
  commit: 3c3be6234e0cb353e76bb8019947db9dfe99fca7
  read from the bare git mirror at $OPENRLHF_MIRROR
  (default /work/.mirror/OpenRLHF+OpenRLHF/repo) with `git show <commit>:<path>`.

Upstream functions that run (line ranges at that commit; checked at run time
with inspect.getsourcelines, the script aborts if they moved):
  openrlhf/trainer/ppo_utils/experience_maker.py
      RemoteExperienceMaker.compute_advantages_and_returns   lines 237-330
          (237 is the @torch.no_grad() decorator, 238 the def)
      RemoteExperienceMaker.get_cumulative_returns           lines 379-411
  openrlhf/models/utils.py
      compute_approx_kl                                      lines 64-95
          (used only to build the seeded per-token KL input, estimator "k1")
      compute_reward                                         lines 98-126
  openrlhf/trainer/ppo_utils/length_penalty.py
      apply_length_penalties                                 lines 109-153
          (both penalties are off: reward.overlong_buffer_len and
           reward.stop_properly_penalty_coef are None, upstream's defaults)

How it runs upstream's code (nothing is re-typed)
-------------------------------------------------
The five upstream files experience_maker.py, models/utils.py, length_penalty.py,
utils/logging_utils.py and utils/seqlen_balancing.py are written by `git show`
into a temp dir that goes on sys.path.  The packages openrlhf, openrlhf.models,
openrlhf.trainer, openrlhf.trainer.ppo_utils, openrlhf.utils are registered in
sys.modules as empty modules whose __path__ points into that temp dir, so their
upstream __init__.py files (which pull in vllm, transformers, deepspeed, ...)
never execute, while the real submodules above are imported from upstream's
source.  The heavy imports are stubbed in sys.modules: `ray` and `deepspeed`
(MagicMock), `openrlhf.trainer.ray` / `openrlhf.trainer.ray.launcher`
(RayActorGroup = MagicMock) and `openrlhf.trainer.ppo_utils.experience`
(Experience = a placeholder class; it is only a type annotation).  Only torch is
real.  The unbound method
    RemoteExperienceMaker.compute_advantages_and_returns(self_stub, experiences)
is then called with a types.SimpleNamespace `self_stub` carrying strategy.args,
advantage_estimator, kl_ctl.value and get_cumulative_returns (upstream's method
bound to the stub), and experiences that are SimpleNamespace objects with
index, rewards, kl, action_mask, values (None), info ({}).

Inputs (all float32, seeded with torch.manual_seed(20240611))
--------------------------------------------------------------
  n_samples_per_prompt = 4, 3 prompts -> 12 rows, split into 2 experiences of 6
  rows each with index = [0..5] and [6..11] (identity order), so rows 4g..4g+3
  are prompt g's samples.  action_mask (12, 7), int64 0/1 as upstream's
  samples_generator builds it, 1s left-aligned, lengths LENGTHS below (1..7).
  scores: torch.randn(12); prompt 1's four scores (rows 4..7) are then set to
  one equal value to show the zero-advantage group.
  kl: compute_approx_kl(log_probs, base_log_probs, "k1") of seeded log-probs
  (log_probs = -rand*2, base = log_probs + 0.1*randn), then multiplied by the
  mask, so padding tokens carry kl = 0 (upstream never uses padding KL anyway:
  get_cumulative_returns masks the shaped reward).
  kl_coef (kl_ctl.value) = 0.01 (--algo.kl.init_coef default),
  reward.clip_range = (-10, 10) (default), gamma = 1.0, lambd = 1.0 (defaults).

Cases: reinforce, reinforce_baseline, rloo, group_norm, dr_grpo (all with
no_std_norm = False) and reinforce with no_std_norm = True.

JSON layout
-----------
  {"upstream": {"repo", "commit", "file"},
   "cases": [{"name", "estimator", "no_std_norm", "n_samples_per_prompt",
              "kl_coef", "mask": [[int]*7]*12, "scores": [float]*12,
              "kl": [[float]*7]*12, "advantages": [[float]*7]*12,
              "returns": [[float]*7]*12}]}
  Every float is Python's repr of the float32 value widened to double, so it
  is the exact float32 (parse as double, cast to float).  Outputs are rows in
  original order (experience 0 rows then experience 1 rows), after the whole
  method, i.e. including the final global normalisation where upstream does it.

Regenerate (from the repository root, with PyTorch installed):
  /tmp/venv-golden/bin/python plugins/openrlhf-style/src/test/resources/golden/make_openrlhf_golden.py
"""

import copy
import inspect
import json
import os
import subprocess
import sys
import tempfile
import types
from unittest.mock import MagicMock

import torch

REPO_URL = "https://github.com/OpenRLHF/OpenRLHF"
COMMIT = "3c3be6234e0cb353e76bb8019947db9dfe99fca7"
MIRROR = os.environ.get("OPENRLHF_MIRROR", "/work/.mirror/OpenRLHF+OpenRLHF/repo")
MAIN_FILE = "openrlhf/trainer/ppo_utils/experience_maker.py"
UPSTREAM_FILES = [
    MAIN_FILE,
    "openrlhf/models/utils.py",
    "openrlhf/trainer/ppo_utils/length_penalty.py",
    "openrlhf/utils/logging_utils.py",
    "openrlhf/utils/seqlen_balancing.py",
]
PACKAGES = ["openrlhf", "openrlhf.models", "openrlhf.trainer", "openrlhf.trainer.ppo_utils", "openrlhf.utils"]

SEED = 20240611
N_SAMPLES = 4
N_PROMPTS = 3
T = 7
LENGTHS = [7, 3, 5, 1, 4, 6, 2, 7, 5, 3, 6, 2]
CONSTANT_GROUP = 1  # rows 4..7 share one score
KL_COEF = 0.01
CLIP_RANGE = (-10.0, 10.0)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openrlhf_advantages.json")


def load_upstream():
    tmp = tempfile.mkdtemp(prefix="openrlhf-golden-")
    for rel in UPSTREAM_FILES:
        src = subprocess.run(
            ["git", "-C", MIRROR, "show", f"{COMMIT}:{rel}"], check=True, capture_output=True
        ).stdout
        dst = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as f:
            f.write(src)
    sys.path.insert(0, tmp)

    # Package shells: real submodules are found through __path__, upstream __init__.py never runs.
    for name in PACKAGES:
        mod = types.ModuleType(name)
        mod.__path__ = [os.path.join(tmp, *name.split("."))]
        sys.modules[name] = mod

    # Heavy third-party / Ray-dependent imports.
    sys.modules["ray"] = MagicMock(name="ray")
    sys.modules["deepspeed"] = MagicMock(name="deepspeed")
    ray_pkg = types.ModuleType("openrlhf.trainer.ray")
    ray_pkg.__path__ = []
    launcher = types.ModuleType("openrlhf.trainer.ray.launcher")
    launcher.RayActorGroup = MagicMock(name="RayActorGroup")
    sys.modules["openrlhf.trainer.ray"] = ray_pkg
    sys.modules["openrlhf.trainer.ray.launcher"] = launcher
    experience = types.ModuleType("openrlhf.trainer.ppo_utils.experience")

    class Experience:  # only used as a type annotation upstream
        pass

    experience.Experience = Experience
    sys.modules["openrlhf.trainer.ppo_utils.experience"] = experience

    import openrlhf.models.utils as mutils
    import openrlhf.trainer.ppo_utils.experience_maker as em
    import openrlhf.trainer.ppo_utils.length_penalty as lp

    # Guard the line ranges cited in the docstring.
    def check(fn, first, last):
        lines, start = inspect.getsourcelines(fn)
        got = (start, start + len(lines) - 1)
        assert got == (first, last), f"{fn.__qualname__}: expected lines {first}-{last}, got {got[0]}-{got[1]}"

    cls = em.RemoteExperienceMaker
    check(cls.compute_advantages_and_returns, 237, 330)
    check(cls.get_cumulative_returns, 379, 411)
    check(mutils.compute_approx_kl, 64, 95)
    check(mutils.compute_reward, 98, 126)
    check(lp.apply_length_penalties, 109, 153)
    assert em.compute_reward is mutils.compute_reward
    assert em.apply_length_penalties is lp.apply_length_penalties
    return em, mutils


def make_inputs(mutils):
    torch.manual_seed(SEED)
    rows = N_SAMPLES * N_PROMPTS
    mask = torch.zeros(rows, T, dtype=torch.long)
    for i, n in enumerate(LENGTHS):
        mask[i, :n] = 1
    scores = torch.randn(rows, dtype=torch.float32)
    g = CONSTANT_GROUP
    scores[g * N_SAMPLES : (g + 1) * N_SAMPLES] = scores[g * N_SAMPLES].clone()
    log_probs = -torch.rand(rows, T, dtype=torch.float32) * 2.0
    base_log_probs = log_probs + 0.1 * torch.randn(rows, T, dtype=torch.float32)
    kl = mutils.compute_approx_kl(log_probs, base_log_probs, kl_estimator="k1") * mask
    assert kl.dtype == torch.float32 and scores.dtype == torch.float32
    return mask, scores, kl


def run_case(em, estimator, no_std_norm, mask, scores, kl):
    args = types.SimpleNamespace(
        algo=types.SimpleNamespace(
            advantage=types.SimpleNamespace(estimator=estimator, gamma=1.0, lambd=1.0, no_std_norm=no_std_norm),
            kl=types.SimpleNamespace(init_coef=KL_COEF, estimator="k1", use_loss=False),
        ),
        rollout=types.SimpleNamespace(n_samples_per_prompt=N_SAMPLES, max_new_tokens=None),
        reward=types.SimpleNamespace(clip_range=CLIP_RANGE, overlong_buffer_len=None, stop_properly_penalty_coef=None),
    )
    self_stub = types.SimpleNamespace(
        strategy=types.SimpleNamespace(args=args),
        args=args,
        advantage_estimator=estimator,
        kl_ctl=types.SimpleNamespace(value=KL_COEF),
    )
    self_stub.get_cumulative_returns = types.MethodType(em.RemoteExperienceMaker.get_cumulative_returns, self_stub)
    self_stub.get_advantages_and_returns = types.MethodType(
        em.RemoteExperienceMaker.get_advantages_and_returns, self_stub
    )

    half = scores.numel() // 2
    experiences = []
    for lo, hi in ((0, half), (half, scores.numel())):
        experiences.append(
            types.SimpleNamespace(
                index=list(range(lo, hi)),
                rewards=scores[lo:hi].clone(),
                kl=kl[lo:hi].clone(),
                action_mask=mask[lo:hi].clone(),
                values=None,
                info={},
            )
        )
    out = em.RemoteExperienceMaker.compute_advantages_and_returns(self_stub, experiences)
    adv = torch.cat([e.advantages for e in out], dim=0)
    ret = torch.cat([e.returns for e in out], dim=0)
    assert adv.dtype == torch.float32 and ret.dtype == torch.float32, (adv.dtype, ret.dtype)
    return adv, ret


def floats(t):
    if t.dim() == 1:
        return [float(x) for x in t.tolist()]
    return [floats(r) for r in t]


def main():
    em, mutils = load_upstream()
    mask, scores, kl = make_inputs(mutils)
    cases = []
    for name, estimator, no_std_norm in [
        ("reinforce", "reinforce", False),
        ("reinforce_baseline", "reinforce_baseline", False),
        ("rloo", "rloo", False),
        ("group_norm", "group_norm", False),
        ("dr_grpo", "dr_grpo", False),
        ("reinforce_no_std_norm", "reinforce", True),
    ]:
        adv, ret = run_case(em, estimator, no_std_norm, mask, scores, kl)
        cases.append(
            {
                "name": name,
                "estimator": estimator,
                "no_std_norm": no_std_norm,
                "n_samples_per_prompt": N_SAMPLES,
                "kl_coef": KL_COEF,
                "mask": mask.tolist(),
                "scores": floats(scores),
                "kl": floats(kl),
                "advantages": floats(adv),
                "returns": floats(ret),
            }
        )
    doc = {"upstream": {"repo": REPO_URL, "commit": COMMIT, "file": MAIN_FILE}, "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
