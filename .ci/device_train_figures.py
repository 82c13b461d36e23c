#!/usr/bin/env python3
"""The GPU-training figures of the device check, measured in one call on a CUDA machine.

    python3 .ci/device_train_figures.py --elixir RUNNER/elixir --out DIR [--budget SECONDS]

1. Throughput: `elixir train --device cuda` and the same model, batch and dtype in PyTorch eager
   (Elixir.Benchmarks/PyTorch/gpt2_reference.py), tokens/s and MFU side by side as a ratio: the default sample
   in fp32, and GPT-2 124M in bf16.
2. Offload: the sample run with --offload under a device budget of the model's working memory plus a quarter
   of its full state (parameter shards, gradients, optimizer state), as a ratio to the unconstrained run.
3. Checkpoints: the sample trained on the GPU, saved sharded and consolidated; Python `safetensors` loads both
   and they match tensor by tensor; the sharded one resumes on the host backend.

Writes DIR/training-figures.json and prints it. Each step has its own timeout and the whole call stays within
--budget seconds (steps that no longer fit are reported as not run). Exit 1 when a step failed.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "Elixir.Benchmarks", "PyTorch", "gpt2_reference.py")
# The sample's sizes are the CLI's defaults, which gpt2_reference.py's "sample" preset repeats.
RUNS = {
    "sample-fp32": dict(elixir=["--dtype", "fp32", "--steps", "30"], torch=["--preset", "sample", "--dtype", "fp32", "--steps", "30"]),
    "gpt2-124m-bf16": dict(
        elixir=["--model", "gpt2-124m", "--dtype", "bf16", "--batch", "8", "--steps", "10"],
        torch=["--preset", "gpt2-124m", "--dtype", "bf16", "--batch", "8", "--steps", "10"]),
}


class Budget:
    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds

    def left(self, wanted):
        return max(0, min(wanted, int(self.deadline - time.monotonic())))


def run(command, timeout):
    """Runs command; returns (exit code or 'timeout', stdout, stderr tail)."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or "", (e.stderr or "")[-2000:] if isinstance(e.stderr, str) else ""
    return done.returncode, done.stdout, done.stderr[-2000:]


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    return None


def elixir_train(elixir, device, arguments, budget, wanted=150):
    limit = budget.left(wanted)
    if limit < 10:
        return {"outcome": "not run (time budget)"}
    code, out, err = run([elixir, "train", "--device", device, "--ranks", "1", "--log-every", "1000000", "--json", *arguments], limit)
    result = last_json(out) if code == 0 else None
    if result is None:
        return {"outcome": f"failed (exit {code})", "stderr": err}
    result["outcome"] = "ok"
    return result


def pytorch(arguments, budget, wanted=120):
    limit = budget.left(wanted)
    if limit < 10:
        return {"outcome": "not run (time budget)"}
    if subprocess.run([sys.executable, "-c", "import torch; assert torch.cuda.is_available()"], capture_output=True).returncode != 0:
        return {"outcome": "not run (no PyTorch with CUDA here)"}
    code, out, err = run([sys.executable, REFERENCE, *arguments], limit)
    result = last_json(out) if code == 0 else None
    if result is None:
        return {"outcome": f"failed (exit {code})", "stderr": err}
    result["outcome"] = "ok"
    return result


def steady(result):
    """tokens/s after the first step (kernel loading, cuBLAS's choices), as PyTorch's figure follows warm-up steps."""
    return result.get("tokensPerSecondAfterFirstStep") or result["tokensPerSecond"]


def throughput(elixir, device, budget, runs):
    figures = {}
    for name in runs:
        run_args = RUNS[name]
        ours = elixir_train(elixir, device, run_args["elixir"], budget)
        theirs = pytorch(run_args["torch"], budget)
        entry = {"elixir": ours, "pytorch": theirs}
        if ours["outcome"] == "ok" and theirs["outcome"] == "ok" and theirs["tokens_per_second"] > 0:
            entry["ratio"] = round(steady(ours) / theirs["tokens_per_second"], 3)
            # Same model and tokens, so MFU scales with tokens/s: the reference's MFU times the ratio.
            entry["elixir_mfu"] = round(theirs["mfu"] * entry["ratio"], 4)
        figures[name] = entry
    return figures


def offload(elixir, device, unconstrained, budget):
    if unconstrained.get("outcome") != "ok":
        return {"outcome": "not run (no unconstrained sample run)"}
    memory = unconstrained["memory"]
    planned = memory["plannedByCategory"]["device"]
    state = planned["parameterShards"] + planned["gradients"] + planned["optimizerState"]
    limit = memory["workingMemory"] + memory["planned"]["device"] - state + (state + 3) // 4
    run_result = elixir_train(elixir, device, RUNS["sample-fp32"]["elixir"] + ["--offload", "--device-memory", str(limit)], budget)
    entry = {"fullState": state, "deviceBudget": limit, "run": run_result}
    if run_result["outcome"] == "ok":
        entry["ratio"] = round(steady(run_result) / steady(unconstrained), 3)
    return entry


# The Hugging Face name of each sample GPT-2 tensor (the layouts' ExternalName), which consolidated files use;
# sharded files keep the layouts' own names.
EXTERNAL_NAMES = {
    "Wte": "wte.weight", "Wpe": "wpe.weight", "LnFWeight": "weight", "LnFBias": "bias",
    "Ln1Weight": "ln_1.weight", "Ln1Bias": "ln_1.bias", "AttnQkvWeight": "attn.c_attn.weight",
    "AttnQkvBias": "attn.c_attn.bias", "AttnProjWeight": "attn.c_proj.weight", "AttnProjBias": "attn.c_proj.bias",
    "Ln2Weight": "ln_2.weight", "Ln2Bias": "ln_2.bias", "MlpFcWeight": "mlp.c_fc.weight", "MlpFcBias": "mlp.c_fc.bias",
    "MlpProjWeight": "mlp.c_proj.weight", "MlpProjBias": "mlp.c_proj.bias",
}


def external(name):
    owner, _, tensor = name.rpartition(".")
    return f"{owner}.{EXTERNAL_NAMES.get(tensor, tensor)}"


def read_consolidated(safe_open, directory):
    """name -> flat list of floats, from the one consolidated file."""
    tensors = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".safetensors"):
            with safe_open(os.path.join(directory, name), framework="pt") as f:
                for key in f.keys():
                    tensors[key] = f.get_tensor(key).float().flatten().tolist()
    return tensors


def read_sharded(safe_open, directory):
    """name (Hugging Face) -> flat list of floats, put together from every rank file's slices."""
    tensors = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".safetensors"):
            continue
        with safe_open(os.path.join(directory, name), framework="pt") as f:
            metadata = f.metadata()
            for key in f.keys():
                # "slice:NAME" = "d0,d1,...;start,end": the global shape and the flat range this file holds.
                shape, span = metadata[f"slice:{key}"].split(";")
                count = 1
                for d in shape.split(","):
                    count *= int(d)
                start, end = (int(x) for x in span.split(","))
                whole = tensors.setdefault(external(key), [None] * count)
                whole[start:end] = f.get_tensor(key).float().flatten().tolist()
    return tensors


def checkpoints(elixir, device, budget):
    try:
        from safetensors import safe_open
    except ImportError as e:
        return {"outcome": f"not run (Python safetensors: {e})"}
    work = tempfile.mkdtemp(prefix="elixir-gpu-checkpoints-")
    sharded, consolidated = os.path.join(work, "sharded"), os.path.join(work, "consolidated")
    common = ["--steps", "5", "--seed", "3"]
    runs = {
        "sharded": elixir_train(elixir, device, common + ["--checkpoint-dir", sharded], budget, 90),
        "consolidated": elixir_train(elixir, device, common + ["--checkpoint-dir", consolidated, "--consolidated"], budget, 90),
    }
    if any(r["outcome"] != "ok" for r in runs.values()):
        return {"outcome": "failed", "runs": runs}

    whole = read_consolidated(safe_open, consolidated)
    shards = read_sharded(safe_open, sharded)
    common_names = sorted(set(whole) & set(shards))
    largest = max((abs(a - b) for k in common_names if len(whole[k]) == len(shards[k]) for a, b in zip(whole[k], shards[k])
                   if a is not None and b is not None), default=None)
    entry = {
        "tensors": len(whole),
        "sameNames": sorted(whole) == sorted(shards),
        "sameSizes": all(len(whole[k]) == len(shards[k]) for k in common_names),
        "complete": all(None not in shards[k] for k in common_names),
        "finite": all(math.isfinite(x) for t in whole.values() for x in t),
        "largestDifference": largest,
    }
    # Checkpoints written on the GPU resume on the host (one more step there).
    limit = budget.left(90)
    if limit >= 10:
        code, _, err = run([elixir, "train", "--device", "host", "--ranks", "1", "--steps", "6", "--seed", "3",
                            "--checkpoint-dir", sharded, "--resume", "--log-every", "1000000"], limit)
        entry["resumedOnHost"] = code == 0
        if code != 0:
            entry["resumeError"] = err
    # Separate GPU runs agree to rounding, not bit for bit: cuBLAS may pick different algorithms.
    good = entry["sameNames"] and entry["sameSizes"] and entry["complete"] and entry["finite"]
    entry["outcome"] = "ok" if good and largest is not None and largest <= 1e-4 and entry.get("resumedOnHost", True) else "failed"
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elixir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--budget", type=int, default=240)
    parser.add_argument("--device", default="cuda", help="host: a dry run of the steps on the host backend")
    parser.add_argument("--runs", nargs="*", default=sorted(RUNS), choices=sorted(RUNS))
    args = parser.parse_args()
    budget = Budget(args.budget)
    figures = {"device": args.device, "throughput": throughput(args.elixir, args.device, budget, args.runs)}
    sample = figures["throughput"].get("sample-fp32", {}).get("elixir", {})
    figures["offload"] = offload(args.elixir, args.device, sample, budget)
    figures["checkpoints"] = checkpoints(args.elixir, args.device, budget)
    failed = [name for name, value in [("checkpoints", figures["checkpoints"]), ("offload", figures["offload"].get("run", {}))]
              if str(value.get("outcome", "")).startswith("failed")]
    failed += [name for name, entry in figures["throughput"].items() if entry["elixir"]["outcome"].startswith("failed")]
    figures["failed"] = failed
    os.makedirs(args.out, exist_ok=True)
    text = json.dumps(figures, indent=1)
    with open(os.path.join(args.out, "training-figures.json"), "w") as f:
        f.write(text + "\n")
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
