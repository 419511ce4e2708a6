"""cleaner: clean scraped article text.

Removes repeated paragraphs and sentences inside a document (exact, near and
shortened copies) and boilerplate (promos, sign-ups, credits, share bars), and
says what it removed and why for every removal.

>>> import cleaner
>>> cleaner.clean_text("A sentence that is long enough.\\nA sentence that is long enough.")
'A sentence that is long enough.'
"""

from __future__ import annotations

from . import _accel
from .api import Cleaner, clean, clean_text
from .config import CleanerConfig
from .errors import CleanerError, ConfigError, InputError, RulePackError, RuleTimeoutError
from .result import CleanResult, Reason, Removal, Span

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Cleaner",
    "CleanerConfig",
    "CleanerError",
    "ConfigError",
    "InputError",
    "Reason",
    "Removal",
    "RulePackError",
    "RuleTimeoutError",
    "Span",
    "__version__",
    "c_core_in_use",
    "clean",
    "clean_text",
]


def c_core_in_use() -> bool:
    """Whether cleaner's C core is built and in use in this process.

    The core is compiled at install time when a C compiler is present; without it (or with
    the environment variable ``CLEANER_NATIVE=0``) the same steps run in pure Python, with
    the same results, about twice as slowly.

    >>> isinstance(c_core_in_use(), bool)
    True
    """
    return _accel.available()
