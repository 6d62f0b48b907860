"""Errors that end a run, each with the exit code the CLI reports for it."""


class ConformanceError(Exception):
    """The run could not complete (exit 3)."""

    exit_code = 3


class ConfigError(ConformanceError):
    """Bad usage or configuration: one clear line for the user (exit 2)."""

    exit_code = 2


class TargetUnreachable(ConformanceError):
    """The target stopped answering: results would be incomplete (exit 3)."""

    exit_code = 3
