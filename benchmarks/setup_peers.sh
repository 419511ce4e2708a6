#!/usr/bin/env bash
# Create the benchmark environment: a separate venv with cleaner (editable) and the peers
# that benchmarks/bench_speed.py compares against (trafilatura, datatrove, datasketch,
# rapidfuzz, regex) plus pyinstrument for benchmarks/profile_clean.py.
#
# Usage: benchmarks/setup_peers.sh [VENV_DIR]      (default /work/bench-venv)
# Then:  /work/bench-venv/bin/python benchmarks/bench_speed.py -n 2000
set -euo pipefail
VENV="${1:-/work/bench-venv}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e "$REPO"
# datatrove's quality filters need its "processing" extra (nltk, ...); fall back to the
# core package if the extra fails to install, the speed program then skips what it cannot run.
"$VENV/bin/python" -m pip install --quiet trafilatura datasketch rapidfuzz regex pyinstrument psutil spacy
"$VENV/bin/python" -m pip install --quiet "datatrove[processing]" \
    || "$VENV/bin/python" -m pip install --quiet datatrove
"$VENV/bin/python" - <<'PY'
import importlib
for name in ("cleaner", "trafilatura", "datatrove", "datasketch", "rapidfuzz", "regex",
             "pyinstrument", "nltk", "spacy"):
    try:
        mod = importlib.import_module(name)
        print(f"ok       {name} {getattr(mod, '__version__', '')}")
    except Exception as exc:  # noqa: BLE001 - report any import failure
        print(f"MISSING  {name}: {exc}")
PY
