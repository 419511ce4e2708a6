"""Exceptions raised by cleaner.

All of them derive from :class:`CleanerError`, so a pipeline can catch one type.
"""

from __future__ import annotations

__all__ = ["CleanerError", "ConfigError", "InputError", "RulePackError", "RuleTimeoutError"]


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class ConfigError(CleanerError, ValueError):
    """An option has a value cleaner cannot use; the message says which and what to do."""


class InputError(CleanerError, ValueError):
    """Input cleaner cannot read: names the file, line or record and what is wrong."""


class RulePackError(CleanerError, ValueError):
    """A rule pack is invalid: names the file, the rule id and the problem."""


class RuleTimeoutError(CleanerError, RuntimeError):
    """A rule's pattern ran past its time budget on one line (rule id and document named)."""
