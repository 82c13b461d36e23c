#!/usr/bin/env bash
# The whole GPU check in one call, at the repository root of a Linux x64 CUDA machine with no .NET: it unpacks the
# self-contained runner (.runner/gpu-runner.tar.gz, made by .ci/publish-gpu-runner.sh), prints the driver, CUDA
# and NCCL versions and the GPU, runs every GPU test class under its own timeout (a class that hangs or crashes is
# re-run method by method so the culprit is named), runs the CUDA benchmarks in their short mode as ratios to
# their baselines, measures the training figures (.ci/device_train_figures.py: tokens/s against PyTorch, the
# quarter-budget offload ratio, GPU checkpoints read by Python safetensors), and writes logs plus summary.json into $OUT (./device-check-out when unset), at most 8 files.
# Without a GPU it finishes in seconds, summary.json saying so, with exit code 0. Exit 1 means a GPU test failed,
# hung or crashed, or the runner is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
out="${OUT:-./device-check-out}"
mkdir -p "$out"
env_log="$out/environment.log"
tests_log="$out/tests.log"
bench_log="$out/benchmarks.log"
summary="$out/summary.json"
ratios="$out/benchmark-ratios.json"
: >"$env_log"
: >"$tests_log"
class_timeout="${ELIXIR_CLASS_TIMEOUT:-90}"
method_timeout="${ELIXIR_METHOD_TIMEOUT:-60}"
bench_timeout="${ELIXIR_BENCHMARK_TIMEOUT:-150}"
test_budget="${ELIXIR_TEST_BUDGET:-240}"   # all test classes together; with the benchmarks and figures the run stays under 9.5 minutes
figures_budget="${ELIXIR_FIGURES_BUDGET:-150}"
smi_command="${ELIXIR_NVIDIA_SMI:-nvidia-smi}"

log() { echo "$*" | tee -a "$env_log"; }
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr '\n\t' '  ')"; }
elapsed() { echo $(( $(date +%s) - started )); }
# Seconds a test run may take now: its own limit, cut to what is left of the test budget.
limit() { local left=$(( test_budget - ($(date +%s) - tests_start) )); echo $(( left < $1 ? left : $1 )); }

# The driver, found as the runtime finds it: ELIXIR_CUDA_LIBRARY, else the loader's search for libcuda.so.1.
find_cuda() {
    if [ -n "${ELIXIR_CUDA_LIBRARY:-}" ] && [ -f "$ELIXIR_CUDA_LIBRARY" ]; then echo "$ELIXIR_CUDA_LIBRARY"; return; fi
    ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1 /{print $NF; exit}'
}

# NCCL as the runtime looks for it: ELIXIR_NCCL_LIBRARY, the loader, then Python environments' nvidia/nccl/lib.
find_nccl() {
    if [ -n "${ELIXIR_NCCL_LIBRARY:-}" ] && [ -f "$ELIXIR_NCCL_LIBRARY" ]; then echo "$ELIXIR_NCCL_LIBRARY"; return; fi
    local found
    found=$(ldconfig -p 2>/dev/null | awk '/libnccl\.so\.2 /{print $NF; exit}')
    if [ -n "$found" ]; then echo "$found"; return; fi
    local roots=()
    [ -n "${VIRTUAL_ENV:-}" ] && roots+=("$VIRTUAL_ENV/lib")
    [ -n "${CONDA_PREFIX:-}" ] && roots+=("$CONDA_PREFIX/lib")
    [ -n "${HOME:-}" ] && roots+=("$HOME/.local/lib")
    roots+=(/usr/lib /usr/local/lib /opt/conda/lib /opt/*/.venv/lib)
    for root in "${roots[@]}"; do
        for candidate in "$root"/python3*/{site,dist}-packages/nvidia/nccl/lib/libnccl.so.2; do
            if [ -f "$candidate" ]; then echo "$candidate"; return; fi
        done
    done
    # Outside the runtime's own search: a Python that can import the wheel.
    if command -v python3 >/dev/null 2>&1; then
        found=$(python3 -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "lib", "libnccl.so.2"))' 2>/dev/null)
        if [ -n "$found" ] && [ -f "$found" ]; then echo "override:$found"; fi
    fi
}

write_summary() {
    local status="$1" reason="$2" classes="${3:-[]}" benchmarks="${4:-null}"
    {
        echo "{"
        echo "  \"status\": $(json_string "$status"),"
        echo "  \"reason\": $(json_string "$reason"),"
        echo "  \"date\": $(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)"),"
        echo "  \"gpu\": $(json_string "${gpu_name:-none}"),"
        echo "  \"driver\": $(json_string "${driver_version:-none}"),"
        echo "  \"cuda\": $(json_string "${cuda_version:-none}"),"
        echo "  \"nccl\": $(json_string "${nccl_version:-none}"),"
        echo "  \"nccl_library\": $(json_string "${nccl_path:-none}"),"
        echo "  \"classes\": $classes,"
        echo "  \"benchmarks\": $benchmarks,"
        echo "  \"tests_seconds\": ${tests_seconds:-0},"
        echo "  \"benchmarks_seconds\": ${bench_seconds:-0},"
        echo "  \"wall_seconds\": $(elapsed)"
        echo "}"
    } >"$summary"
    cat "$summary"
}

log "device check at $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
cuda_path=$(find_cuda)
gpu_name=""
smi_state="absent"
if command -v "$smi_command" >/dev/null 2>&1; then
    if smi=$(timeout 20 "$smi_command" --query-gpu=name,driver_version --format=csv,noheader 2>&1) && [ -n "$smi" ]; then
        smi_state="ok"
        gpu_name=$(cut -d, -f1 <<<"$smi" | sed 's/^ *//' | paste -sd ';' -)
        driver_version=$(head -1 <<<"$smi" | cut -d, -f2 | tr -d ' ')
        cuda_version=$(timeout 20 "$smi_command" 2>/dev/null | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)
    else
        smi_state="failed: $(head -1 <<<"$smi")"
    fi
fi
log "libcuda.so.1: ${cuda_path:-not found}; nvidia-smi: $smi_state; GPU(s): ${gpu_name:-none}; driver ${driver_version:-unknown}; CUDA ${cuda_version:-unknown}"
# nvidia-smi speaks for the driver where it exists; without it the tests themselves find out (and skip saying why).
if [ -z "$cuda_path" ] || { [ "$smi_state" != ok ] && [ "$smi_state" != absent ]; }; then
    write_summary "no-gpu" "No CUDA GPU on this machine (libcuda.so.1: ${cuda_path:-not found}; nvidia-smi: $smi_state); nothing ran."
    exit 0
fi

nccl_found=$(find_nccl)
nccl_path="${nccl_found#override:}"
if [ "${nccl_found#override:}" != "$nccl_found" ]; then
    export ELIXIR_NCCL_LIBRARY="$nccl_path"
    log "NCCL found only through Python; ELIXIR_NCCL_LIBRARY=$nccl_path"
fi
nccl_version=$(basename "$(readlink -f "${nccl_path:-/nonexistent}")" 2>/dev/null | sed -n 's/^libnccl\.so\.//p')
if [ -n "$nccl_path" ] && [ -z "$nccl_version" -o "$nccl_version" = "2" ]; then
    nccl_version=$(strings "$nccl_path" 2>/dev/null | sed -n 's/.*NCCL version \([0-9][0-9.]*\).*/\1/p' | head -1)
fi
log "NCCL: ${nccl_path:-not found} (version ${nccl_version:-unknown})"
# NCCL 2.30.3+ runs several ranks on one GPU with this set, so one GPU still tests 2- and 4-rank sharding.
export NCCL_MULTI_RANK_GPU_ENABLE=1

runner_archive=.runner/gpu-runner.tar.gz
if [ ! -f "$runner_archive" ]; then
    write_summary "error" "No $runner_archive: run .ci/publish-gpu-runner.sh on a machine with .NET and bring the tree here."
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$runner_archive"
runner="$work/gpu-runner"

# One class: "name passed failed skipped outcome" where outcome is ok, failed, timeout or crash.
run_tests() {
    local filter_flag="$1" name="$2" limit="$3" log_part="$work/part.log"
    (cd "$runner" && timeout -k 5 "$limit" ./Elixir.Runtime.Tests -noColor "$filter_flag" "$name") >"$log_part" 2>&1
    local code=$?
    cat "$log_part" >>"$tests_log"
    local line
    line=$(grep -E 'Total: [0-9]+' "$log_part" | tail -1)
    local total failed errors skipped
    total=$(sed -n 's/.*Total: \([0-9]*\).*/\1/p' <<<"$line"); failed=$(sed -n 's/.*Failed: \([0-9]*\).*/\1/p' <<<"$line")
    errors=$(sed -n 's/.*Errors: \([0-9]*\).*/\1/p' <<<"$line"); skipped=$(sed -n 's/.*Skipped: \([0-9]*\).*/\1/p' <<<"$line")
    local outcome=ok
    if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then outcome=timeout
    elif [ -z "$line" ]; then outcome=crash
    elif [ "$code" -ne 0 ] || [ "${failed:-0}" -ne 0 ] || [ "${errors:-0}" -ne 0 ]; then outcome=failed
    fi
    total=${total:-0}; failed=${failed:-0}; skipped=${skipped:-0}
    echo "$((total - failed - skipped)) $failed $skipped $outcome"
}

tests_start=$(date +%s)
classes_json=""
any_bad=0
all_passed=0
mapfile -t classes < <(cd "$runner" && ./Elixir.Runtime.Tests -noColor -list classes -trait "Category=Gpu" 2>/dev/null | grep -E '^[A-Za-z_][A-Za-z0-9_.]*$')
for class in "${classes[@]}"; do
    if [ "$(limit "$class_timeout")" -le 5 ]; then
        classes_json+="${classes_json:+,}{\"class\": $(json_string "$class"), \"outcome\": \"not run (time budget)\"}"
        any_bad=1
        continue
    fi
    echo "== $class" | tee -a "$tests_log"
    read -r passed failed skipped outcome < <(run_tests -class "$class" "$(limit "$class_timeout")")
    culprits=""
    if [ "$outcome" = timeout ] || [ "$outcome" = crash ]; then
        mapfile -t methods < <(cd "$runner" && ./Elixir.Runtime.Tests -noColor -list methods -class "$class" 2>/dev/null | grep -E "^$class\.")
        passed=0; failed=0; skipped=0
        for method in "${methods[@]}"; do
            if [ "$(limit "$method_timeout")" -le 5 ]; then
                culprits+="${culprits:+,}{\"method\": $(json_string "$method"), \"outcome\": \"not run (time budget)\"}"
                continue
            fi
            echo "== $method (re-run alone)" | tee -a "$tests_log"
            read -r p f s o < <(run_tests -method "$method" "$(limit "$method_timeout")")
            passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
            if [ "$o" != ok ]; then culprits+="${culprits:+,}{\"method\": $(json_string "$method"), \"outcome\": \"$o\"}"; fi
        done
    fi
    [ "$outcome" != ok ] && any_bad=1
    all_passed=$((all_passed + passed))
    echo "   $class: $passed passed, $failed failed, $skipped skipped ($outcome)" | tee -a "$env_log"
    classes_json+="${classes_json:+,}{\"class\": $(json_string "$class"), \"passed\": $passed, \"failed\": $failed, \"skipped\": $skipped, \"outcome\": \"$outcome\", \"culprits\": [${culprits}]}"
done
tests_seconds=$(( $(date +%s) - tests_start ))

bench_start=$(date +%s)
(cd "$runner" && ELIXIR_BENCHMARK_RATIOS="$work/ratios.json" timeout -k 5 "$bench_timeout" \
    ./Elixir.Benchmarks --filter 'Elixir.Benchmarks.Cuda*' --artifacts "$work/bdn") >"$bench_log" 2>&1
bench_code=$?
bench_seconds=$(( $(date +%s) - bench_start ))
benchmarks=null
if [ -f "$work/ratios.json" ]; then
    cp "$work/ratios.json" "$ratios"
    benchmarks=$(cat "$ratios")
fi
log "benchmarks: exit $bench_code in ${bench_seconds} s; ratios ${benchmarks}"

# `elixir train --device cuda` beside the same model in PyTorch eager on this GPU (tokens/s, MFU, ratios), the
# offloaded run under a quarter-state budget, and GPU checkpoints loaded by Python safetensors.
figures_code=0
if command -v python3 >/dev/null 2>&1 && [ -x "$runner/elixir" ]; then
    echo "== training figures (.ci/device_train_figures.py)" >>"$bench_log"
    timeout -k 5 $((figures_budget + 30)) python3 .ci/device_train_figures.py --elixir "$runner/elixir" --out "$out" \
        --budget "$figures_budget" >>"$bench_log" 2>&1
    figures_code=$?
    log "training figures: exit $figures_code; $out/training-figures.json"
else
    log "training figures: not run (python3 or the runner's elixir is missing)"
fi

status=passed
reason="Every GPU test class finished without a failure."
if [ "$any_bad" -ne 0 ]; then status=failed; reason="A GPU test class failed, hung or crashed; see classes and tests.log."
elif [ "$all_passed" -eq 0 ]; then status=skipped; reason="No GPU test ran: every one skipped (tests.log says why)."; fi
if [ "$bench_code" -ne 0 ]; then reason+=" The benchmarks exited with $bench_code; see benchmarks.log."; fi
if [ "$figures_code" -ne 0 ]; then reason+=" The training figures exited with $figures_code; see training-figures.json."; fi
write_summary "$status" "$reason" "[${classes_json}]" "$benchmarks"
[ "$any_bad" -eq 0 ]
