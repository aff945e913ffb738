# Not part of the build or the tests: a reference measurement for `rlhf bench train` (docs/model.md).
# nanoGPT's baby-GPT recipe (model.py / train.py of karpathy/nanoGPT, config train_shakespeare_char with the
# README's CPU overrides, bias=False, dropout 0), written from its description, in PyTorch.
# Run from the repository root: /usr/bin/python3 docs/nanogpt-reference.py [SEEDS]
import math, sys, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(2)   # run with /usr/bin/python3 (Debian python3-torch 1.13) and libopenblas0-pthread installed
text = open('../shared/data/tinyshakespeare.txt', encoding='utf-8').read()
chars = sorted(set(text)); stoi = {c: i for i, c in enumerate(chars)}
data = np.array([stoi[c] for c in text], dtype=np.int64)
n = len(data); train, val = data[:int(n * 0.9)], data[int(n * 0.9):]
B, T, L, H, C, V = 12, 64, 4, 4, 128, len(chars)

class LN(nn.Module):   # nanoGPT's LayerNorm with bias=False
    def __init__(s):
        super().__init__(); s.weight = nn.Parameter(torch.ones(C))
    def forward(s, x):
        return F.layer_norm(x, (C,), s.weight, None, 1e-5)

class Block(nn.Module):
    def __init__(s):
        super().__init__()
        s.ln_1 = LN()
        s.c_attn = nn.Linear(C, 3 * C, bias=False); s.c_proj = nn.Linear(C, C, bias=False)
        s.ln_2 = LN()
        s.c_fc = nn.Linear(C, 4 * C, bias=False); s.mlp_proj = nn.Linear(4 * C, C, bias=False)
        s.register_buffer('mask', torch.tril(torch.ones(T, T)).view(1, 1, T, T))
    def forward(s, x):
        b, t, c = x.shape
        q, k, v = s.c_attn(s.ln_1(x)).split(C, dim=2)
        q = q.view(b, t, H, c // H).transpose(1, 2); k = k.view(b, t, H, c // H).transpose(1, 2); v = v.view(b, t, H, c // H).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(s.mask[:, :, :t, :t] == 0, float('-inf')).softmax(-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + s.c_proj(y)
        return x + s.mlp_proj(F.gelu(s.c_fc(s.ln_2(x))))

class GPT(nn.Module):
    def __init__(s):
        super().__init__()
        s.wte = nn.Embedding(V, C); s.wpe = nn.Embedding(T, C); s.h = nn.ModuleList([Block() for _ in range(L)])
        s.ln_f = LN()
        s.lm_head = nn.Linear(C, V, bias=False); s.wte.weight = s.lm_head.weight
        s.apply(s._init)
        for pn, p in s.named_parameters():
            if pn.endswith('c_proj.weight') or pn.endswith('mlp_proj.weight'):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * L))
    def _init(s, m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
    def forward(s, idx, targets):
        x = s.wte(idx) + s.wpe(torch.arange(idx.size(1)))
        for blk in s.h: x = blk(x)
        logits = s.lm_head(s.ln_f(x))
        return F.cross_entropy(logits.view(-1, V), targets.view(-1))

def batch(d, g):
    ix = torch.randint(len(d) - T, (B,), generator=g)
    x = torch.stack([torch.from_numpy(d[i:i + T]) for i in ix]); y = torch.stack([torch.from_numpy(d[i + 1:i + 1 + T]) for i in ix])
    return x, y

def lr_at(it, lr=1e-3, min_lr=1e-4, warm=100, decay=2000):
    if it < warm: return lr * (it + 1) / (warm + 1)
    if it > decay: return min_lr
    r = (it - warm) / (decay - warm); return min_lr + 0.5 * (1.0 + math.cos(math.pi * r)) * (lr - min_lr)

losses = []
for seed in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
    torch.manual_seed(1337 + seed); g = torch.Generator().manual_seed(seed)
    m = GPT()
    decay = [p for p in m.parameters() if p.dim() >= 2]; nodecay = [p for p in m.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': nodecay, 'weight_decay': 0.0}], lr=1e-3, betas=(0.9, 0.99))
    t0 = time.time(); times = []
    for it in range(2000):
        for pg in opt.param_groups: pg['lr'] = lr_at(it)
        x, y = batch(train, g); t = time.time()
        loss = m(x, y); opt.zero_grad(set_to_none=True); loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step(); times.append(time.time() - t)
    m.eval(); gv = torch.Generator().manual_seed(4242)
    with torch.no_grad():
        v = float(np.mean([m(*batch(val, gv)).item() for _ in range(200)]))
    losses.append(v)
    print(f'seed {seed}: val loss {v:.4f} over 200 batches, median {1000 * np.median(times[10:]):.1f} ms/iteration, {time.time() - t0:.0f} s', flush=True)
print(f'median of {len(losses)}: {np.median(losses):.4f}')
