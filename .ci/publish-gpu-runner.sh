#!/usr/bin/env bash
# Publishes Elixir.Runtime.Tests, Elixir.Benchmarks and the elixir command as self-contained linux-x64 programs (no .NET needed
# where they run) into one folder and packs it into .runner/gpu-runner.tar.gz, small enough to travel to a
# CUDA machine. There:
#   mkdir -p /tmp/runner && tar -C /tmp/runner -xzf .runner/gpu-runner.tar.gz && cd /tmp/runner/gpu-runner
#   ./Elixir.Runtime.Tests -trait "Category=Gpu"            # the GPU tests (drop -trait for the whole suite)
#   ./Elixir.Benchmarks --filter 'Elixir.Benchmarks.Cuda*'   # the GPU benchmarks, as ratios to their baselines
#   ./elixir train --device cuda                            # the main job
# Elixir.Cli goes last: the tests reference it, and its own publish leaves a self-contained elixir apphost.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.runner
rm -rf "$out/gpu-runner" "$out/gpu-runner.tar.gz"
mkdir -p "$out"
for project in Elixir.Runtime.Tests Elixir.Benchmarks Elixir.Cli; do
    dotnet publish "$project" -c Release -r linux-x64 --self-contained \
        -p:DebugType=none -p:GenerateDocumentationFile=false -o "$out/gpu-runner"
done
tar -C "$out" -czf "$out/gpu-runner.tar.gz" gpu-runner
rm -rf "$out/gpu-runner"
ls -l "$out/gpu-runner.tar.gz"
