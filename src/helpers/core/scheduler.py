"""Where the per-answer stages run: in this process (default) or on a Dask scheduler.

Configuration only (run.yaml's ``dask`` field, ``--scheduler``); the engine that uses it
is ``helpers.coding.distributed``. Kept in core so the run configuration can validate it
without importing a stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helpers.core.errors import ConfigError

DEFAULT_PARTITION_ROWS = 20_000  # answers per task: large enough to amortise shipping the codebook


@dataclass(frozen=True)
class DaskSettings:
    """Where to run: a scheduler address (or ``local[:N]``) and answers per partition."""

    address: str
    partition_rows: int = DEFAULT_PARTITION_ROWS

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (notebook parameters, the run manifest)."""
        return {"address": self.address, "partition_rows": self.partition_rows}

    @classmethod
    def parse(cls, value: Any, where: str = "dask") -> DaskSettings | None:
        """Validate run.yaml's ``dask`` (a mapping, an address string, or None)."""
        if value in (None, "", {}):
            return None
        if isinstance(value, str):
            value = {"address": value}
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: must be a mapping like {{address: tcp://host:8786}}")
        unknown = sorted(set(value) - {"address", "partition_rows"})
        if unknown:
            raise ConfigError(
                f"{where}: unknown field(s) {unknown}; allowed: address, partition_rows"
            )
        address = value.get("address")
        if not isinstance(address, str) or not address.strip():
            raise ConfigError(
                f"{where}.address: give the scheduler's address (tcp://host:8786) or local[:N]"
            )
        rows = value.get("partition_rows", DEFAULT_PARTITION_ROWS)
        if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
            raise ConfigError(
                f"{where}.partition_rows: must be a positive whole number, got {rows!r}"
            )
        address = address.strip()
        local_workers(address, where)  # validates local:N
        return cls(address=address, partition_rows=rows)


def local_workers(address: str, where: str = "dask") -> int | None:
    """N for ``local:N`` (``local``: 2), None for a real scheduler address."""
    if address == "local":
        return 2
    if address.startswith("local:"):
        n = address.removeprefix("local:")
        if not n.isdigit() or int(n) < 1:
            raise ConfigError(f"{where}.address: 'local:N' needs a positive N, got {address!r}")
        return int(n)
    return None
