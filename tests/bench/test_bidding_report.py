"""What the bidding benchmark prints, and the flags it takes."""

from collections import Counter
from decimal import Decimal

import pytest

from bench.bidding import parse_args
from bench.bidding_client import AcceptedBid, CaseRun, Tally, UnknownOutcome
from bench.bidding_data import CasePlan
from bench.bidding_report import CaseReport, report_row, report_table, target_line
from bench.hotrow import PgbenchResult


def case(kind="hot", clients=32, accepted=600, latency=0.1, violations=(), wall=2.0):
    tally = Tally(
        accepted=[AcceptedBid(1, 2, Decimal("100000.00"), latency) for _ in range(accepted)],
        refusals=Counter({"below_minimum": 1500, "rate_limited": 2}),
        unknown=[UnknownOutcome(1, 2, Decimal("1.00"), "reset")],
    )
    return CaseReport(
        plan=CasePlan(kind, clients, 1),
        run=CaseRun(tally=tally, wall_seconds=wall, client_cpu_seconds=0.5),
        pgbench=PgbenchResult(clients=clients, lots=1, tps=1000.0, latency_ms=30.0),
        violations=list(violations),
        app_cpu_seconds=3.0,
        machine_busy_share=0.9,
    )


def test_a_row_gives_rate_latency_ratio_refusals_and_cpu():
    # 600 accepted + 1,502 refused + 1 unanswered = 2,103 requests; 3 s of app CPU. Decided:
    # 600 accepted + 1,500 below the minimum (not the 2 rate-limited) in 2 s = 1,050 a second.
    row = report_row(case())

    assert row == (
        "| hot | 32 | 1 | 600 | 300 | 1,050 | 100.0 | 100.0 | 100.0 | 1,000 | 0.30 "
        "| below_minimum 1,500, no answer 1, rate_limited 2 | 0 | 25% / 150% / 90% | 1.4 |"
    )


def test_the_table_is_markdown_with_one_row_per_case():
    lines = report_table([case(), case(kind="spread")]).splitlines()

    assert lines[0].startswith("| case | bidders | lots | accepted | accepted/s | decided/s |")
    assert lines[0].count("|") == lines[1].count("|") == lines[2].count("|") == 16
    assert len(lines) == 4 and lines[3].startswith("| spread | 32 |")


def test_the_target_is_met_at_300_a_second_with_p99_under_250_ms_and_no_violation():
    assert "met —" in target_line([case()])
    assert "NOT met" in target_line([case(accepted=598)])
    assert "NOT met" in target_line([case(latency=0.25)])
    assert "NOT met" in target_line([case(violations=["lot 1: bid_count is 5"])])
    assert "not measured" in target_line([case(clients=8)])


def test_flags_and_their_defaults():
    defaults = parse_args([])
    assert (defaults.seconds, defaults.clients, defaults.spread_lots, defaults.workers) == (
        10,
        [1, 8, 32, 64],
        100,
        4,
    )
    chosen = parse_args(["--seconds", "3", "--clients", "2,16", "--spread-lots", "0"])
    assert (chosen.seconds, chosen.clients, chosen.spread_lots) == (3, [2, 16], 0)


@pytest.mark.parametrize(
    "flags",
    [["--clients", "8,x"], ["--clients", "0"], ["--spread-lots", "1001"], ["--seconds", "0"]],
)
def test_bad_flags_are_refused_with_a_message(flags, capsys):
    with pytest.raises(SystemExit):
        parse_args(flags)
    assert "error:" in capsys.readouterr().err
