#!/usr/bin/env bash
# Rebuilds every committed .ptx from its .cu source with nvcc and stamps it with the SHA-256 of the sources
# it was built from (the .cu followed by dtype.cuh); a test compares that stamp with the sources.
# compute_80 PTX is JIT-compiled by the driver for Ampere, Hopper and later GPUs. The PTX ISA version (.version)
# follows the nvcc used, and the driver must be at least that new: CUDA 13.0's nvcc writes .version 9.0, which a
# CUDA 13.0 driver (R580) or later can JIT; to serve older drivers, rebuild with an older nvcc.
set -euo pipefail
cd "$(dirname "$0")"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
for source in *.cu; do
    name="${source%.cu}"
    hash="$(cat "$source" dtype.cuh | sha256sum | cut -d' ' -f1)"
    "$NVCC" -ptx -arch=compute_80 -O3 -std=c++17 -o "$name.ptx.tmp" "$source"
    { echo "// source-sha256 $hash"; cat "$name.ptx.tmp"; } > "$name.ptx"
    rm "$name.ptx.tmp"
done
