#!/usr/bin/env bash
# Rebuilds every committed .ptx from its .cu source and stamps it with the SHA-256 of the sources it was built
# from (the .cu followed by dtype.cuh); a test compares that stamp with the sources.
# The PTX is ISA 7.8 for compute_80: any driver from CUDA 11.8 on JIT-compiles it for Ampere, Hopper and later
# GPUs. The ISA version (.version) follows the nvcc used and the driver must be at least that new, so the build
# uses CUDA 11.8's nvcc: Debian 12's nvidia-cuda-toolkit (components contrib non-free) with clang-14 as host
# compiler (its nvcc refuses GCC 12). No GPU is needed. Then every PTX is assembled offline for sm_80 and sm_90
# with ptxas, so a PTX a Hopper or Ampere driver would reject never gets committed. -fmad=false keeps every multiply
# and add separate, as the host kernels compute them, so the optimizers' bits match the host's.
set -euo pipefail
cd "$(dirname "$0")"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
PTXAS="${PTXAS:-$(command -v ptxas || echo /usr/local/cuda/bin/ptxas)}"
HOST_COMPILER="${HOST_COMPILER:-$(command -v clang-14 || true)}"
ccbin=()
if [ -n "$HOST_COMPILER" ]; then
    ccbin=(-ccbin "$HOST_COMPILER")
fi

for source in *.cu; do
    name="${source%.cu}"
    hash="$(cat "$source" dtype.cuh | sha256sum | cut -d' ' -f1)"
    "$NVCC" "${ccbin[@]}" -ptx -arch=compute_80 -O3 -std=c++17 -fmad=false -o "$name.ptx.tmp" "$source"
    version="$(sed -n 's/^\.version //p' "$name.ptx.tmp")"
    if [ "$(printf '%s\n7.8\n' "$version" | sort -V | tail -1)" != "7.8" ]; then
        rm "$name.ptx.tmp"
        echo "$source: nvcc wrote PTX ISA $version; the committed PTX must be 7.8 or older (use CUDA 11.8's nvcc)." >&2
        exit 1
    fi
    for arch in sm_80 sm_90; do
        "$PTXAS" -arch="$arch" -o /dev/null "$name.ptx.tmp"
    done
    { echo "// source-sha256 $hash"; cat "$name.ptx.tmp"; } > "$name.ptx"
    rm "$name.ptx.tmp"
done
