#!/usr/bin/env python3
"""Makes the GPT-2 reference fixture for HfReferenceTest, once; the build never runs this.

An independent PyTorch GPT-2 written after Hugging Face transformers' modeling_gpt2.py (GPT2Model +
GPT2LMHeadModel, eager attention): Conv1D layers whose weight is (in, out), gelu_new, pre-LayerNorm
blocks, a causal mask filled with the dtype's minimum, and the LM head tied to wte. Weights are random
(seeded) and written in HF's state-dict names and layouts, as JSON (no binary in the repository), with
the logits this implementation computes for two token sequences.

    apt-get install python3-torch && /usr/bin/python3 make_fixture.py
"""
import json
import math

import torch

torch.manual_seed(20251126)
VOCAB, CTX, LAYERS, HEADS, WIDTH, EPS = 64, 16, 2, 2, 16, 1e-5


def conv1d(x, w, b):  # transformers.pytorch_utils.Conv1D: x @ W + b, W is (in, out)
    return torch.addmm(b, x.view(-1, x.size(-1)), w).view(*x.shape[:-1], w.size(-1))


def gelu_new(x):  # transformers.activations.NewGELUActivation
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def attention(p, i, x):  # GPT2Attention, eager
    B, T, C = x.shape
    hd = C // HEADS
    q, k, v = conv1d(x, p[f"h.{i}.attn.c_attn.weight"], p[f"h.{i}.attn.c_attn.bias"]).split(C, dim=2)
    split = lambda t: t.view(B, T, HEADS, hd).permute(0, 2, 1, 3)
    q, k, v = split(q), split(k), split(v)
    w = torch.matmul(q, k.transpose(-1, -2)) / torch.full([], hd ** 0.5)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    w = torch.where(causal, w, torch.full([], torch.finfo(w.dtype).min))
    w = torch.softmax(w, dim=-1)
    y = torch.matmul(w, v).permute(0, 2, 1, 3).reshape(B, T, C)
    return conv1d(y, p[f"h.{i}.attn.c_proj.weight"], p[f"h.{i}.attn.c_proj.bias"])


def forward(p, ids):  # GPT2LMHeadModel
    T = ids.shape[1]
    x = p["wte.weight"][ids] + p["wpe.weight"][torch.arange(T)]
    for i in range(LAYERS):
        ln = lambda t, n: torch.nn.functional.layer_norm(t, (WIDTH,), p[f"h.{i}.{n}.weight"], p[f"h.{i}.{n}.bias"], EPS)
        x = x + attention(p, i, ln(x, "ln_1"))
        h = gelu_new(conv1d(ln(x, "ln_2"), p[f"h.{i}.mlp.c_fc.weight"], p[f"h.{i}.mlp.c_fc.bias"]))
        x = x + conv1d(h, p[f"h.{i}.mlp.c_proj.weight"], p[f"h.{i}.mlp.c_proj.bias"])
    x = torch.nn.functional.layer_norm(x, (WIDTH,), p["ln_f.weight"], p["ln_f.bias"], EPS)
    return x @ p["wte.weight"].T


def params():
    p = {"wte.weight": torch.randn(VOCAB, WIDTH) * 0.5, "wpe.weight": torch.randn(CTX, WIDTH) * 0.5}
    for i in range(LAYERS):
        h = f"h.{i}."
        for n in ("ln_1", "ln_2"):
            p[h + n + ".weight"] = 1 + 0.1 * torch.randn(WIDTH)
            p[h + n + ".bias"] = 0.1 * torch.randn(WIDTH)
        # Conv1D weights (in, out); the output width differs from the input for c_attn and c_fc, so a
        # transposition mistake cannot go unnoticed.
        for n, shape in (("attn.c_attn", (WIDTH, 3 * WIDTH)), ("attn.c_proj", (WIDTH, WIDTH)),
                         ("mlp.c_fc", (WIDTH, 4 * WIDTH)), ("mlp.c_proj", (4 * WIDTH, WIDTH))):
            p[h + n + ".weight"] = torch.randn(*shape) * 0.3
            p[h + n + ".bias"] = torch.randn(shape[1]) * 0.1
    p["ln_f.weight"] = 1 + 0.1 * torch.randn(WIDTH)
    p["ln_f.bias"] = 0.1 * torch.randn(WIDTH)
    return p


def main():
    p = params()
    ids = torch.tensor([[1, 5, 9, 13, 2, 60, 33, 7, 0, 63, 12, 4], [40, 41, 42, 3, 3, 3, 17, 18, 59, 1, 2, 8]])
    with torch.no_grad():
        logits = forward(p, ids)
    weights = {"transformer." + k: {"shape": list(v.shape), "values": v.flatten().tolist()} for k, v in p.items()}
    with open("weights.json", "w") as f:
        json.dump(weights, f)
    config = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": VOCAB, "n_positions": CTX,
              "n_embd": WIDTH, "n_layer": LAYERS, "n_head": HEADS, "n_inner": None,
              "activation_function": "gelu_new", "layer_norm_epsilon": EPS, "resid_pdrop": 0.0,
              "embd_pdrop": 0.0, "attn_pdrop": 0.0, "tie_word_embeddings": True}
    with open("config.json", "w") as f:
        json.dump(config, f, indent=2)
    with open("logits.json", "w") as f:
        json.dump({"torch": torch.__version__, "input_ids": ids.tolist(), "shape": list(logits.shape),
                   "logits": logits.flatten().tolist()}, f)


if __name__ == "__main__":
    main()
