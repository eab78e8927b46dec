"""What the benchmarks say of the machine they ran on (figures compare only on one machine)."""

from __future__ import annotations

import platform
from pathlib import Path


def _proc_line(path: str, key: str) -> str | None:
    """The value after ``key:`` in a Linux ``/proc`` file, None when absent."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), None)


def cpu_model() -> str:
    return _proc_line("/proc/cpuinfo", "model name") or platform.processor() or "unknown"


def memory_gib() -> float | None:
    """Total memory in GiB, None when unknown."""
    total = _proc_line("/proc/meminfo", "MemTotal")  # "24576000 kB"
    return int(total.split()[0]) / 1024 / 1024 if total else None
