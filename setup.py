"""Build script for the optional C core (``cleaner._native``, sources in ``cleaner/_c/``);
everything else is in pyproject.toml.

The extension is optional: where it cannot be compiled (no C compiler, no Python
headers) the install goes on and cleaner runs the pure-Python twin of each function,
with the same results, more slowly. ``CLEANER_BUILD_NATIVE=0`` skips it on purpose.
The module records the SHA-256 of the sources it was built from, so the tests can tell
a stale build (``pip install -e .`` again after editing them).
"""

import hashlib
import os
from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).parent
SOURCES = sorted((HERE / "cleaner" / "_c").glob("*.[ch]"))


def sources_digest() -> str:
    """SHA-256 over each source's name and bytes, in name order (tests/test_native.py)."""
    digest = hashlib.sha256()
    for path in SOURCES:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


native = Extension(
    "cleaner._native",
    sources=[p.relative_to(HERE).as_posix() for p in SOURCES if p.suffix == ".c"],
    depends=[p.relative_to(HERE).as_posix() for p in SOURCES if p.suffix == ".h"],
    include_dirs=["cleaner/_c"],
    optional=True,
    define_macros=[("CLEANER_NATIVE_SOURCE_SHA256", f'"{sources_digest()}"')],
    extra_compile_args=["-O2"],
)

setup(ext_modules=[] if os.environ.get("CLEANER_BUILD_NATIVE") == "0" else [native])
