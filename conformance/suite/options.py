"""The plugin's command-line options (`pytest --conformance-...`), and what they mean for a run.

`conformance run` is a thin wrapper that turns its own options into these; a QA engineer who
lives in pytest types them directly:

    pytest -p conformance --conformance-target t.toml -m "auth or limits"
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conformance.errors import ConfigError
from conformance.suite import shard

PROFILES = ("quick", "full")
EMBEDDED = "mock"  # --conformance-target mock: the embedded mock (the default of `conformance run`)


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "conformance suite for vendor customer-profile APIs")
    add = group.addoption
    add("--conformance-target", metavar="FILE",
        help=f"target file (TOML), or '{EMBEDDED}' for the embedded mock; runs the suites of its APIs")
    add("--conformance-api", action="append", default=[], metavar="NAME",
        help="API to test (repeatable; default: every API of the target)")
    add("--conformance-profile", choices=PROFILES, default="quick",
        help="quick: 25 generated examples per operation, full: 150")
    add("--conformance-report-dir", metavar="DIR", help="write report.html, summary.json and junit.xml here")
    add("--conformance-max-examples", type=int, metavar="N",
        help="at most N generated examples per operation (a smoke run; the report says so)")
    add("--conformance-seed", type=int, metavar="N", help="seed of the generated data (default: random)")
    add("--conformance-docs", metavar="DIR", help="folder of the vendor docs, to quote cited lines in the report")
    add("--conformance-waivers", metavar="FILE", help="waiver file (TOML) of known, dated deviations")
    add("--conformance-baseline", metavar="SUMMARY", help="an earlier summary.json to compare this run with")
    add("--conformance-allow-production", action="store_true", help="allow production hosts named in the docs")
    add("--conformance-mock-fault", metavar="NAME", help="embedded mock: start it with this named fault")
    add("--conformance-mock-variant", action="append", default=[], metavar="NAME",
        help="embedded mock: play this doc-allowed variant (repeatable)")
    add("--conformance-serve-edition", action="append", default=[], metavar="API=EDITION",
        help="embedded mock: serve API with another edition's mock")
    add("--conformance-requirement", action="append", default=[], metavar="ID",
        help="only the tests that check this requirement (repeatable)")
    add("--conformance-category", action="append", default=[], metavar="NAME",
        help="only the tests of this catalogue category (repeatable; same as -m NAME)")
    add("--conformance-shard", metavar="K/N",
        help="run shard K of N: a deterministic, duration-balanced share of the selected tests "
             "(join the shards' reports with `conformance merge`)")
    add("--conformance-durations", metavar="FILE",
        help="seconds per test for balancing shards (default: the committed conformance/_durations.json)")


@dataclass
class Settings:
    """One run's settings, read once from the pytest options."""

    target: str | None = None  # a file, EMBEDDED, or None (the embedded mock, started when first needed)
    apis: list[str] = field(default_factory=list)
    profile: str = "quick"
    max_examples: int | None = None  # caps the profile's generated examples per operation
    report_dir: Path | None = None
    seed: int = 0
    docs: str | None = None
    waivers: str | None = None
    baseline: str | None = None
    allow_production: bool = False
    mock_fault: str | None = None
    mock_variants: list[str] = field(default_factory=list)
    serve_editions: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    shard: tuple[int, int] | None = None  # (K, N): run shard K of N (conformance.suite.shard)
    durations: str | None = None  # durations file balancing the shards

    @property
    def requested(self) -> bool:
        """The user asked for a conformance run (rather than the plugin being merely installed)."""
        return bool(self.target or self.apis or self.report_dir)

    @property
    def embedded(self) -> bool:
        return self.target in (None, EMBEDDED)

    @classmethod
    def from_config(cls, config: pytest.Config) -> "Settings":
        get = config.getoption
        seed = get("conformance_seed")
        if seed is None and get("hypothesis_seed", None) not in (None, ""):
            try:
                seed = int(get("hypothesis_seed"))
            except ValueError:
                raise ConfigError("--hypothesis-seed must be a number for a conformance run") from None
        report_dir = get("conformance_report_dir")
        settings = cls(
            target=get("conformance_target"), apis=list(get("conformance_api")), profile=get("conformance_profile"),
            report_dir=Path(report_dir) if report_dir else None, max_examples=get("conformance_max_examples"),
            seed=seed if seed is not None else random.randrange(1, 2**31),
            docs=get("conformance_docs"), waivers=get("conformance_waivers"), baseline=get("conformance_baseline"),
            allow_production=get("conformance_allow_production"), mock_fault=get("conformance_mock_fault"),
            mock_variants=list(get("conformance_mock_variant")), serve_editions=list(get("conformance_serve_edition")),
            requirements=list(get("conformance_requirement")), categories=list(get("conformance_category")),
            shard=shard.parse(get("conformance_shard")), durations=get("conformance_durations"),
        )
        if settings.max_examples is not None and settings.max_examples < 1:
            raise ConfigError("--max-examples must be at least 1")
        if not settings.embedded and (settings.mock_fault or settings.serve_editions or settings.mock_variants):
            raise ConfigError("--mock-fault, --mock-variant and --serve-edition apply to the embedded mock only, "
                              "not with --target")
        return settings
