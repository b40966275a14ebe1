#!/usr/bin/env bash
# One entry point for a fresh Debian machine, used by the README and CI:
#   bash packaging/setup.sh demo   # install everything, check the machine, run the demo
#   bash packaging/setup.sh test   # install everything, run the test suite
# Idempotent: system packages and the virtual environment are only added to, never redone.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-demo}"
shift || true

bash packaging/install-system-deps.sh

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup: gui-agent needs Python 3.11 or newer; $PY is $("$PY" --version 2>&1)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# The tests also check the detector's ONNX export against PyTorch, so they take the [train]
# extra (torch, CPU build); the app itself never imports torch.
extras=dev
if [ "$what" = test ]; then extras=dev,train; fi
stamp=".venv/.gui-agent-installed-${extras/,/-}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[$extras]"
  touch "$stamp"
fi

case "$what" in
  demo)
    .venv/bin/gui-agent doctor --xvfb
    .venv/bin/gui-agent demo "$@"
    ;;
  test)
    .venv/bin/python -m pytest "$@"
    ;;
  install)
    ;;
  *)
    echo "usage: bash packaging/setup.sh [demo|test|install]" >&2
    exit 2
    ;;
esac
