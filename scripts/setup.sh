#!/usr/bin/env bash
# Installs every Debian 12 package regpersist needs to build, test and benchmark.
# Idempotent: packages already present are not fetched again; runs as root (or via sudo).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  # hive and image access (libyal + The Sleuth Kit)
  libregf-dev libbfio-dev libtsk-dev libewf-dev libvhdi-dev libvmdk-dev libqcow-dev
  # C++ libraries: CLI, filesystem, JSON, YAML, SHA-256, tests
  libcli11-dev libboost-filesystem-dev nlohmann-json3-dev libyaml-cpp-dev libssl-dev
  libgtest-dev libgmock-dev libhowardhinnant-date-dev
  # peers compared against in tests and benchmarks
  reglookup libregf-utils libhivex-bin regripper
  # test data and image tooling
  xz-utils gzip sleuthkit ewf-tools qemu-utils ntfs-3g fuse3 dosfstools fdisk hyperfine
  # headless browser that renders `regpersist report` in its test
  chromium
  # one-machine OpenRelik cluster test (integrations/openrelik): broker and Celery workers
  redis-server python3-celery python3-redis
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
