#!/usr/bin/env python3
"""Makes lr_schedule.json, the golden fixture of LearningRateScheduleTest. Ours; not run by the build.

Upstream: Hugging Face transformers' get_scheduler (transformers/optimization.py), which DeepSpeed-Chat's step 3
calls for actor and critic (DeepSpeedExamples 83757d9c, dschat/rlhf/rlhf_engine.py lines 117-122). The schedules
are imported, not re-typed: a one-parameter SGD optimizer with lr 1 records the factor of each update, read before
the update as DeepSpeed's engine does (optimizer.step, then lr_scheduler.step).

Regenerate (from the repository root), with PyTorch and transformers installed:
  python3 host/training/src/test/resources/golden/make_lr_schedule_golden.py
"""
import json
import os

import torch
import transformers
from transformers import get_scheduler

CASES = [("cosine", 100, 300), ("cosine", 3, 10), ("cosine", 0, 7), ("constant_with_warmup", 4, 9), ("constant", 0, 5)]


def factors(name, warmup, total):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = get_scheduler(name, optimizer=opt, num_warmup_steps=warmup, num_training_steps=total)
    out = []
    for _ in range(total):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


cases = [{"name": n, "warmup": w, "total": t, "factors": factors(n, w, t)} for n, w, t in CASES]
path = os.path.join(os.path.dirname(__file__), "lr_schedule.json")
with open(path, "w") as f:
    json.dump({"upstream": {"package": "transformers", "version": transformers.__version__,
                            "function": "transformers.get_scheduler"}, "cases": cases}, f)
print("wrote", path)
