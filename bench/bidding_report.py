"""The figures bench/bidding.py prints: one Markdown table row per case, then the details."""

from dataclasses import dataclass

from bench.bidding_client import CaseRun, percentile
from bench.bidding_data import CasePlan
from bench.hotrow import PgbenchResult

# The target on the 2-core machine, for the hot lot with 32 bidders.
TARGET_CASE = "hot-32"
TARGET_ACCEPTED_PER_SECOND = 300
TARGET_P99_MS = 250


@dataclass
class CaseReport:
    plan: CasePlan
    run: CaseRun
    pgbench: PgbenchResult
    violations: list[str]
    app_cpu_seconds: float
    machine_busy_share: float

    @property
    def accepted_per_second(self) -> float:
        return len(self.run.tally.accepted) / self.run.wall_seconds

    @property
    def decided_per_second(self) -> float:
        """Bids the engine judged, accepted or refused by the bidding rules, a second: on a
        contested lot most fresh bids are already below a minimum that moved while they were
        in flight, and their refusal is as much a decision as an acceptance. Rate-limit
        refusals and unanswered requests are not counted."""
        refused = sum(
            count for code, count in self.run.tally.refusals.items() if code != "rate_limited"
        )
        return (len(self.run.tally.accepted) + refused) / self.run.wall_seconds

    @property
    def ratio(self) -> float:
        return self.accepted_per_second / self.pgbench.tps if self.pgbench.tps else 0.0

    def latency_ms(self, percent: float) -> float | None:
        value = percentile([bid.latency for bid in self.run.tally.accepted], percent)
        return None if value is None else value * 1000

    def meets_target(self) -> bool:
        p99 = self.latency_ms(99)
        return (
            self.accepted_per_second >= TARGET_ACCEPTED_PER_SECOND
            and p99 is not None
            and p99 < TARGET_P99_MS
            and not self.violations
        )


HEADER = (
    "| case | bidders | lots | accepted | accepted/s | decided/s | p50 ms | p95 ms | p99 ms "
    "| pgbench tps | ratio | refused, by code | violations | CPU client / app / machine "
    "| app CPU ms/request |"
)
ALIGN = (
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: "
    "| --- "
    "| ---: |"
)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def refusals_text(report: CaseReport) -> str:
    counts = dict(report.run.tally.refusals)
    if report.run.tally.unknown:
        counts["no answer"] = len(report.run.tally.unknown)
    if not counts:
        return "none"
    return ", ".join(f"{code} {count:,}" for code, count in sorted(counts.items()))


def cpu_text(report: CaseReport) -> str:
    """Client and app servers as % of one core; the machine as % of all its cores."""
    wall = report.run.wall_seconds
    client = report.run.client_cpu_seconds / wall * 100
    app = report.app_cpu_seconds / wall * 100
    return f"{client:.0f}% / {app:.0f}% / {report.machine_busy_share * 100:.0f}%"


def app_cpu_per_request(report: CaseReport) -> str:
    """App servers' CPU per request (bids and minimum reads): what the app costs, whatever
    else the machine is doing."""
    requests = report.run.tally.requests
    return f"{report.app_cpu_seconds / requests * 1000:.1f}" if requests else "—"


def report_row(report: CaseReport) -> str:
    cells = [
        report.plan.kind,
        str(report.plan.clients),
        str(report.plan.lot_count),
        f"{len(report.run.tally.accepted):,}",
        f"{report.accepted_per_second:,.0f}",
        f"{report.decided_per_second:,.0f}",
        _ms(report.latency_ms(50)),
        _ms(report.latency_ms(95)),
        _ms(report.latency_ms(99)),
        f"{report.pgbench.tps:,.0f}",
        f"{report.ratio:.2f}",
        refusals_text(report),
        str(len(report.violations)),
        cpu_text(report),
        app_cpu_per_request(report),
    ]
    return "| " + " | ".join(cells) + " |"


def report_table(reports: list[CaseReport]) -> str:
    return "\n".join([HEADER, ALIGN, *(report_row(report) for report in reports)])


def target_line(reports: list[CaseReport]) -> str:
    target = next((r for r in reports if r.plan.name == TARGET_CASE), None)
    if target is None:
        return f"Target ({TARGET_CASE}) not measured in this run."
    verdict = "met" if target.meets_target() else "NOT met"
    return (
        f"Target ({TARGET_CASE}: ≥ {TARGET_ACCEPTED_PER_SECOND} accepted bids/s, p99 < "
        f"{TARGET_P99_MS} ms, no violation): {verdict} — {target.accepted_per_second:,.0f}/s, "
        f"p99 {_ms(target.latency_ms(99))} ms, {len(target.violations)} violations."
    )
