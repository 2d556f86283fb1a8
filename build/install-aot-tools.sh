#!/usr/bin/env bash
# Installs what Native AOT needs to cross-compile the Lambda bootstrap for linux-arm64 on an x86_64
# Debian machine, and qemu to run the arm64 binary here. Idempotent: installs only what is missing,
# and runs apt-get update (once) only when something is. Needs root (or sudo).
#
#   clang, lld                               the compiler driver and linker ILCompiler invokes
#   gcc-aarch64-linux-gnu                    arm64 crt objects and libgcc, plus aarch64-linux-gnu-objcopy
#   libc6-dev-arm64-cross                    arm64 glibc headers and libraries (/usr/aarch64-linux-gnu)
#   zlib1g-dev                               zlib, which the runtime links against
#   qemu-user-static                         qemu-aarch64-static, to run the arm64 binary on x86_64
#   libssl3:arm64                            the arm64 OpenSSL .NET loads at run time for HTTPS; without it the
#                                            bootstrap aborts under qemu ("No usable version of libssl").
#                                            provided.al2023 has its own; this one is for the rehearsal only
#
# Usage: build/install-aot-tools.sh        (see build/CrossCompile.targets for the publish settings)
set -euo pipefail

packages=(clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross zlib1g-dev qemu-user-static libssl3:arm64)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "AOT cross-compile tools already installed: ${packages[*]}"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A :arm64 package needs the architecture known to dpkg (multiarch) before apt-get update lists it.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  "${sudo[@]}" dpkg --add-architecture arm64
fi
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
echo "Installed: ${missing[*]}"
