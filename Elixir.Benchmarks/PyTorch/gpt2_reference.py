"""The sample GPT-2 written in PyTorch, for throughput side by side with `elixir train --device cuda`.

Same model as Elixir.Samples' Gpt2Model: pre-LayerNorm blocks, fused QKV, causal softmax attention, GELU
(tanh) MLP, token embedding tied to the head, mean softmax cross-entropy, AdamW. Same sizes as the CLI's
defaults (V 65, about the sample text's characters, T 32, C 64, L 2, H 4, batch 16) or GPT-2 124M
(--preset gpt2-124m: V 50257, T 1024, C 768, L 12, H 12). Prints one JSON line: tokens/s over the timed
steps (after warm-up, synchronised) and model FLOPs utilisation, 6·N·tokens/s over --peak-tflops (dense
bf16/fp16 or fp32 peak of the GPU; the defaults are an H100/H200 SXM's).
Tested with PyTorch 2.11; eager mode (no torch.compile), as the target ratio is against eager.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    "sample": dict(vocab=65, seq=32, channels=64, layers=2, heads=4, batch=16),
    "gpt2-124m": dict(vocab=50257, seq=1024, channels=768, layers=12, heads=12, batch=8),
}
PEAK_TFLOPS = {"fp32": 67.0, "bf16": 989.0, "fp16": 989.0}


class Block(nn.Module):
    def __init__(self, c, h):
        super().__init__()
        self.h = h
        self.ln_1 = nn.LayerNorm(c)
        self.c_attn = nn.Linear(c, 3 * c)
        self.c_proj = nn.Linear(c, c)
        self.ln_2 = nn.LayerNorm(c)
        self.c_fc = nn.Linear(c, 4 * c)
        self.mlp_proj = nn.Linear(4 * c, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (y.view(b, t, self.h, c // self.h).transpose(1, 2) for y in (q, k, v))
        # Explicit softmax attention, as the Elixir kernels compute it (no fused flash kernel).
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.h)
        att = att.masked_fill(torch.ones(t, t, device=x.device, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt2(nn.Module):
    def __init__(self, vocab, seq, c, layers, h):
        super().__init__()
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(seq, c)
        self.blocks = nn.ModuleList(Block(c, h) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1], device=idx.device))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.float().view(-1, logits.shape[-1]), targets.view(-1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="sample")
    parser.add_argument("--dtype", choices=sorted(PEAK_TFLOPS), default="fp32")
    parser.add_argument("--batch", type=int)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--peak-tflops", type=float)
    args = parser.parse_args()
    p = dict(PRESETS[args.preset])
    if args.batch:
        p["batch"] = args.batch
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[args.dtype]
    torch.manual_seed(1)
    model = Gpt2(p["vocab"], p["seq"], p["channels"], p["layers"], p["heads"]).cuda()
    params = sum(x.numel() for x in model.parameters())
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, fused=True)
    # fp16 needs loss scaling, as the Elixir engine applies it.
    scaler = torch.amp.GradScaler("cuda", enabled=args.dtype == "fp16")
    idx = torch.randint(p["vocab"], (p["batch"], p["seq"]), device="cuda")
    targets = torch.randint(p["vocab"], (p["batch"], p["seq"]), device="cuda")

    def step():
        with torch.autocast("cuda", dtype=dtype, enabled=args.dtype != "fp32"):
            loss = model(idx, targets)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        return loss

    for _ in range(args.warmup):
        step()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    tokens_per_second = args.steps * p["batch"] * p["seq"] / seconds
    peak = (args.peak_tflops or PEAK_TFLOPS[args.dtype]) * 1e12
    print(json.dumps({
        "framework": f"pytorch {torch.__version__}", "gpu": torch.cuda.get_device_name(), "preset": args.preset,
        "dtype": args.dtype, "batch": p["batch"], "parameters": params, "steps": args.steps,
        "tokens_per_second": round(tokens_per_second, 1), "mfu": round(6 * params * tokens_per_second / peak, 4),
        "loss": round(float(loss), 4),
    }))


if __name__ == "__main__":
    main()
