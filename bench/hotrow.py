"""The database's own ceiling for bids: pgbench running bench/hotrow_bid.sql.

bench/bidding.py calls `hotrow_tps` for each client count so that every HTTP figure can be
printed next to what PostgreSQL alone does on the same machine at the same moment.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "hotrow_schema.sql"
SCRIPT = HERE / "hotrow_bid.sql"
MAX_LOTS = 1000  # rows made by hotrow_schema.sql

TPS_LINE = re.compile(r"^tps = ([0-9.]+) ", re.MULTILINE)
LATENCY_LINE = re.compile(r"^latency average = ([0-9.]+) ms", re.MULTILINE)


@dataclass(frozen=True)
class PgbenchResult:
    clients: int
    lots: int
    tps: float
    latency_ms: float


def connection_args(*, host: str, port: int, user: str, database: str) -> list[str]:
    return ["-h", host, "-p", str(port), "-U", user, database]


def hotrow_reset(*, host: str, port: int, user: str, database: str) -> None:
    """(Re)make the two tables, so each run starts from the same small, unbloated tables."""
    subprocess.run(  # noqa: S603 - fixed program, arguments built here
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(SCHEMA)]
        + connection_args(host=host, port=port, user=user, database=database),
        check=True,
        capture_output=True,
        text=True,
    )


def pgbench_command(
    *, clients: int, lots: int, seconds: int, host: str, port: int, user: str, database: str
) -> list[str]:
    if not 1 <= lots <= MAX_LOTS:
        raise ValueError(f"lots must be between 1 and {MAX_LOTS}")
    return [
        "pgbench",
        "-n",  # no vacuum of pgbench's own tables: they do not exist here
        "-f",
        str(SCRIPT),
        "-D",
        f"lots={lots}",
        "-c",
        str(clients),
        # pgbench refuses more threads than clients.
        "-j",
        str(min(2, clients)),
        "-T",
        str(seconds),
        *connection_args(host=host, port=port, user=user, database=database),
    ]


def parse_pgbench_output(output: str, *, clients: int, lots: int) -> PgbenchResult:
    tps = TPS_LINE.search(output)
    latency = LATENCY_LINE.search(output)
    if tps is None or latency is None:
        raise ValueError(f"pgbench printed no tps/latency line:\n{output}")
    return PgbenchResult(
        clients=clients, lots=lots, tps=float(tps.group(1)), latency_ms=float(latency.group(1))
    )


def hotrow_tps(
    *, clients: int, lots: int, seconds: int, host: str, port: int, user: str, database: str
) -> PgbenchResult:
    """Run pgbench for `seconds` with `clients` connections bidding on lots 1..`lots`."""
    where = {"host": host, "port": port, "user": user, "database": database}
    hotrow_reset(**where)
    finished = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        pgbench_command(clients=clients, lots=lots, seconds=seconds, **where),
        check=True,
        capture_output=True,
        text=True,
    )
    return parse_pgbench_output(finished.stdout, clients=clients, lots=lots)
