#!/usr/bin/env bash
# The GPU-training steps of the device check, meant to be called by .ci/device-check.sh on a CUDA machine from
# the unpacked gpu-runner folder (see publish-gpu-runner.sh), or from a checkout with the .NET SDK:
#   .ci/device-train-check.sh [RUNNER_DIR]
# 1. cuBLAS, the public module API, the sample GPT-2 on the GPU against the host model (fp32 per-tensor
#    tolerances stated in the tests) and `elixir train --device cuda` (50 steps against the host, --verify on 1 and
#    2 ranks), 2. the training figures of .ci/device_train_figures.py (tokens/s and MFU beside PyTorch eager, the
#    quarter-budget offload ratio, GPU checkpoints read by Python safetensors). Ends with one line: "device-train-check: N passed, N failed, N skipped".
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runner="${1:-}"
if [ -n "$runner" ]; then
    tests=("$runner/Elixir.Runtime.Tests")
    elixir="$runner/elixir"
else
    dotnet build "$here/Elixir.Runtime.Tests" -v q >/dev/null || { echo "device-train-check: build failed"; exit 1; }
    tests=("$here/Elixir.Runtime.Tests/bin/Debug/net10.0/Elixir.Runtime.Tests")
    elixir="$here/Elixir.Runtime.Tests/bin/Debug/net10.0/elixir"
fi
log=$(mktemp)
"${tests[@]}" -trait "Category=Gpu" \
    -class Elixir.Runtime.Tests.Cublas.CublasContextGpuTests \
    -class Elixir.Runtime.Tests.Modules.CudaModuleGpuTests \
    -class Elixir.Runtime.Tests.Samples.Gpt2CudaModelGpuTests \
    -class Elixir.Runtime.Tests.Cli.TrainCommandGpuTests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E 'Total: [0-9]+' "$log" | tail -1)
rm -f "$log"
if command -v python3 >/dev/null 2>&1; then
    python3 "$here/.ci/device_train_figures.py" --elixir "$elixir" --out "${OUT:-$here/device-check-out}"
else
    echo "device-train-check: no python3; the training figures (tokens/s against PyTorch, offload, checkpoints) were not measured."
fi
total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")
failed=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")
skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")
echo "device-train-check: $(( ${total:-0} - ${failed:-0} - ${skipped:-0} )) passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
