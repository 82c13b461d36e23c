#!/usr/bin/env bash
# Publishes Elixir.Runtime.Tests as a self-contained linux-x64 program (no .NET needed where it runs) and packs
# it into .runner/gpu-runner.tar.gz, small enough to travel to a CUDA machine. Run the GPU tests there with:
#   mkdir -p /tmp/runner && tar -C /tmp/runner -xzf .runner/gpu-runner.tar.gz
#   /tmp/runner/gpu-runner/Elixir.Runtime.Tests -trait "Category=Gpu"
# (add -namespace Elixir.Runtime.Tests.Cuda for the CUDA tests alone; drop -trait to run the whole suite).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.runner
rm -rf "$out/gpu-runner" "$out/gpu-runner.tar.gz"
mkdir -p "$out"
dotnet publish Elixir.Runtime.Tests -c Release -r linux-x64 --self-contained \
    -p:DebugType=none -p:GenerateDocumentationFile=false -o "$out/gpu-runner"
tar -C "$out" -czf "$out/gpu-runner.tar.gz" gpu-runner
rm -rf "$out/gpu-runner"
ls -l "$out/gpu-runner.tar.gz"
