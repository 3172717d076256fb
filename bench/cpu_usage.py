"""CPU time spent by processes and by the whole machine, read from /proc (Linux only).

The bench prints them so a reader can tell a server that waits (on the row lock) from a
machine that has run out of its two cores.
"""

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of `pids` so far; processes that have gone count as zero."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        # utime and stime: fields 14 and 15 of stat(5), i.e. 12 and 13 after the name.
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


@dataclass(frozen=True)
class MachineCpu:
    busy: float
    total: float

    @classmethod
    def now(cls) -> "MachineCpu":
        first = Path("/proc/stat").read_text().splitlines()[0].split()
        ticks = [int(value) for value in first[1:9]]
        idle = ticks[3] + ticks[4]  # idle + iowait
        return cls(busy=(sum(ticks) - idle) / TICKS, total=sum(ticks) / TICKS)

    def busy_share_since(self, earlier: "MachineCpu") -> float:
        """Share of all cores' time that was busy between `earlier` and this reading."""
        elapsed = self.total - earlier.total
        return (self.busy - earlier.busy) / elapsed if elapsed else 0.0
