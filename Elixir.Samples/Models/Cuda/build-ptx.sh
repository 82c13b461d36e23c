#!/usr/bin/env bash
# Rebuilds the sample GPT-2's committed .ptx from its .cu sources with nvcc and stamps each with the SHA-256 of
# the sources it was built from (the .cu followed by common.cuh); a test compares that stamp with the sources.
# compute_80 PTX is JIT-compiled by the driver for Ampere, Hopper and later GPUs. The PTX ISA version (.version)
# follows the nvcc used, and the driver must be at least that new: build with CUDA 11.8's nvcc (ISA 7.8), which
# every driver from CUDA 11.8 on can JIT. CCBIN picks the host compiler nvcc preprocesses with (clang-14 where the
# system gcc is newer than nvcc accepts).
set -euo pipefail
cd "$(dirname "$0")"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
CCBIN=(${CCBIN:+-ccbin "$CCBIN"})
for source in *.cu; do
    name="${source%.cu}"
    hash="$(cat "$source" common.cuh | sha256sum | cut -d' ' -f1)"
    "$NVCC" "${CCBIN[@]}" -ptx -arch=compute_80 -O3 -std=c++17 -o "$name.ptx.tmp" "$source"
    { echo "// source-sha256 $hash"; cat "$name.ptx.tmp"; } > "$name.ptx"
    rm "$name.ptx.tmp"
done
