#!/usr/bin/env bash
# Prerequisites for building and testing Zoo.
#
#  1. TorchSharp 0.107's native library (libtorch 2.10) needs a libstdc++ that exports
#     GLIBCXX_3.4.32 (GCC 13+). Debian 12 ships GCC 12's. On Debian 12, as root, this script
#     installs libstdc++6 from Debian 13 (trixie) and removes the trixie source again so
#     that later installs do not drag in Debian 13's python3. Elsewhere it explains the fix.
#  2. Test-only tools: Debian's python3-h5py and hdf5-tools (h5dump), the independent HDF5
#     implementation the test suite checks our files against; python3-onnx, the reference ONNX checker.
#  3. Test-only: npm's tfjs-layers and h5wasm in tests/crosscheck (scripts/crosscheck-setup.sh).
#  4. A font for the text of the plots (history.png, scores.png): Debian's fonts-dejavu-core when none is installed.
#
# Usage: scripts/prereq.sh [--check]   (--check only reports, changes nothing)
# Zoo.Formats does not touch TorchSharp and works without step 1.
set -euo pipefail

check_only=false
[ "${1:-}" = "--check" ] && check_only=true

say() { printf 'prereq: %s\n' "$*"; }

libstdcxx_path() {
  local p
  p=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  [ -n "$p" ] || p=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
  printf '%s' "$p"
}

has_glibcxx_3432() {
  local lib; lib=$(libstdcxx_path)
  [ -r "$lib" ] && grep -aq 'GLIBCXX_3\.4\.32' "$lib"
}

is_root() { [ "$(id -u)" = 0 ]; }
os_id() { . /etc/os-release 2>/dev/null; printf '%s:%s' "${ID:-unknown}" "${VERSION_ID:-?}"; }

apt_updated=false
apt_update_once() { $apt_updated || { apt-get update -qq; apt_updated=true; }; }

# --- 2. test tools (before any trixie source exists, so they come from the base suite) ---
need_pkgs=()
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import h5py' 2>/dev/null || need_pkgs+=(python3-h5py python3-numpy)
command -v h5dump >/dev/null 2>&1 || need_pkgs+=(hdf5-tools)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import onnx' 2>/dev/null || need_pkgs+=(python3-onnx)
find /usr/share/fonts /usr/local/share/fonts -name '*.ttf' -print -quit 2>/dev/null | grep -q . || need_pkgs+=(fonts-dejavu-core)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if $check_only; then say "missing test tools: ${need_pkgs[*]}"
  elif is_root && command -v apt-get >/dev/null; then
    say "installing test tools: ${need_pkgs[*]}"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    say "optional test tools missing (${need_pkgs[*]}): the cross-implementation HDF5 tests will skip"
  fi
fi

# --- 3. the independent Keras implementation for the cross-check tests (npm, pinned) ---
if ! $check_only; then bash "$(dirname "$0")/crosscheck-setup.sh" || say "crosscheck setup failed: those tests will skip"; fi

# --- 1. libstdc++ for TorchSharp ---
if has_glibcxx_3432; then
  say "libstdc++ has GLIBCXX_3.4.32: TorchSharp's native library can load"
  exit 0
fi

os=$(os_id)
if $check_only; then
  say "libstdc++ ($(libstdcxx_path)) lacks GLIBCXX_3.4.32; run scripts/prereq.sh as root to fix ($os)"
  exit 1
fi

if [ "$os" = "debian:12" ] && is_root; then
  say "Debian 12 detected: installing libstdc++6 from Debian 13 (trixie) for GLIBCXX_3.4.32"
  src=/etc/apt/sources.list.d/zoo-trixie.sources
  cat > "$src" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  cleanup() { rm -f "$src"; apt-get update -qq || true; }
  trap cleanup EXIT
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  cleanup; trap - EXIT
  if has_glibcxx_3432; then say "done: libstdc++ now has GLIBCXX_3.4.32"; exit 0; fi
  say "error: libstdc++6 from trixie installed but GLIBCXX_3.4.32 is still missing"; exit 1
fi

cat >&2 <<MSG
prereq: libstdc++ ($(libstdcxx_path)) lacks GLIBCXX_3.4.32, which TorchSharp 0.107 (libtorch 2.10) needs.
prereq: system: $os. Fixes:
  - Debian 12: run this script as root (installs libstdc++6 from Debian 13, then removes that source);
  - Ubuntu 22.04: add ppa:ubuntu-toolchain-r/test and install libstdc++6 (GCC 13+);
  - or use Ubuntu 24.04+ / Debian 13+, which ship it.
Zoo.Formats and zoo-convert's format commands work without it; Zoo.Models/FineTune need it.
MSG
exit 1
