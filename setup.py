"""Build script for the optional C core (``cleaner._native``); everything else is in
pyproject.toml.

The extension is optional: where it cannot be compiled (no C compiler, no Python
headers) the install goes on and cleaner runs the pure-Python twin of each function,
with the same results, more slowly. ``CLEANER_BUILD_NATIVE=0`` skips it on purpose.
The module records the SHA-256 of the source it was built from, so the tests can tell
a stale build (``pip install -e .`` again after editing ``cleaner/_native.c``).
"""

import hashlib
import os
from pathlib import Path

from setuptools import Extension, setup

SOURCE = "cleaner/_native.c"
digest = hashlib.sha256(Path(__file__).with_name("cleaner").joinpath("_native.c").read_bytes())

native = Extension(
    "cleaner._native",
    sources=[SOURCE],
    optional=True,
    define_macros=[("CLEANER_NATIVE_SOURCE_SHA256", f'"{digest.hexdigest()}"')],
    extra_compile_args=["-O2"],
)

setup(ext_modules=[] if os.environ.get("CLEANER_BUILD_NATIVE") == "0" else [native])
