#!/usr/bin/env bash
# Installs CUDA 11.8's compiler tools (nvcc, ptxas) from Debian 12's contrib/non-free nvidia-cuda-toolkit, with
# clang-14 as nvcc's host compiler, so the test suite can assemble the committed PTX for sm_80 and sm_90 offline
# (no GPU needed). Never fails the run: where the tools cannot be installed it says why, and the PTX assembly
# tests skip naming what they looked for. About 3.5 minutes and 2 GiB on a fresh machine.
set -uo pipefail
if command -v ptxas >/dev/null 2>&1; then
    echo "ptxas: $(command -v ptxas) ($(ptxas --version | tail -1))"
    exit 0
fi

reason=""
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    reason="not a Linux x64 machine"
elif ! command -v apt-get >/dev/null 2>&1; then
    reason="no apt-get (not Debian)"
elif ! grep -q '^VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
    reason="not Debian 12 (bookworm), whose nvidia-cuda-toolkit is CUDA 11.8"
fi

sudo_prefix=()
if [ -z "$reason" ] && [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo_prefix=(sudo -n)
    else
        reason="not root and no password-less sudo"
    fi
fi

if [ -z "$reason" ]; then
    sources=/etc/apt/sources.list.d/elixir-cuda-contrib-non-free.sources
    if ! grep -rqs 'Components:.*contrib non-free' /etc/apt/sources.list.d/; then
        printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm bookworm-updates' \
            'Components: contrib non-free' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
            | "${sudo_prefix[@]}" tee "$sources" >/dev/null
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! timeout 600 "${sudo_prefix[@]}" apt-get update -qq >/tmp/elixir-cuda-apt.log 2>&1; then
        reason="apt-get update failed (see /tmp/elixir-cuda-apt.log)"
    elif ! timeout 1200 "${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends nvidia-cuda-toolkit clang-14 \
            >>/tmp/elixir-cuda-apt.log 2>&1; then
        reason="apt-get install nvidia-cuda-toolkit clang-14 failed (see /tmp/elixir-cuda-apt.log)"
    fi
fi

if [ -n "$reason" ] || ! command -v ptxas >/dev/null 2>&1; then
    echo "ptxas: not installed (${reason:-the package did not provide it}); the PTX assembly tests will skip."
else
    echo "ptxas: installed $(command -v ptxas) ($(ptxas --version | tail -1))"
fi
exit 0
