#!/usr/bin/env bash
# Build the Python wheel and sdist from the jsii-generated Python sources, offline, and check them
# with twine. jsii-pacmak's own Python build pins a setuptools that the reachable package indexes
# do not have, so we build with the system python3-build and setuptools instead.
#
# Needs Debian's `python3-build` and `twine`. When they are missing the step fails with the command
# that installs them, unless CDK_IMDS_PYTHON_OPTIONAL=1 (local convenience), where it is skipped
# with a message.
set -euo pipefail
cd "$(dirname "$0")/.."

src=dist/codegen/python
out=dist/python
if [ ! -f "$src/setup.py" ]; then
  echo "package:python: $src/setup.py not found; run 'npx projen package:codegen' first" >&2
  exit 1
fi
if ! command -v twine >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import build, setuptools' >/dev/null 2>&1; then
  msg="package:python: Debian packages python3-build and twine are needed (apt-get install -y twine python3-build)"
  if [ "${CDK_IMDS_PYTHON_OPTIONAL:-}" = "1" ]; then
    echo "$msg; skipped (CDK_IMDS_PYTHON_OPTIONAL=1)" >&2
    exit 0
  fi
  echo "$msg" >&2
  exit 1
fi
rm -rf "$out" && mkdir -p "$out"
PIP_CONFIG_FILE=/dev/null /usr/bin/python3 -m build --no-isolation --skip-dependency-check --outdir "$out" "$src" >"$out/build.log" 2>&1 || {
  tail -n 30 "$out/build.log" >&2
  exit 1
}
rm -f "$out/build.log"
twine check --strict "$out"/*
ls -l "$out"
