"""bin/audit_dependencies.py: pip-audit's answer read so that "nothing audited" never passes
silently. pip-audit itself is replaced by its JSON answer."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "audit_dependencies.py"
CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
OURS = {"name": "worker-innovation-exchange", "skip_reason": "distribution marked as editable"}
UNAUDITED = {
    "name": "wagtail",
    "skip_reason": "Dependency not found on PyPI and could not be audited: wagtail (8.0.1)",
}
VULNERABLE = {
    "name": "requests",
    "version": "2.0.0",
    "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["2.31.0"], "aliases": []}],
}


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.delenv("PIP_AUDIT_ALLOW_UNREACHABLE", raising=False)

    def answering(*dependencies, returncode=0):
        report = json.dumps({"dependencies": list(dependencies), "fixes": []})
        monkeypatch.setattr(
            module.subprocess,
            "run",
            lambda *a, **k: subprocess.CompletedProcess(a, returncode, report, ""),
        )
        return module.main([])

    return answering


def test_passes_when_every_package_was_audited_and_none_is_vulnerable(audit):
    assert audit(CLEAN, OURS) == 0


def test_fails_on_a_known_vulnerability(audit, capsys):
    assert audit(CLEAN, VULNERABLE, returncode=1) == 1
    assert "requests 2.0.0: PYSEC-0000-1 (fixed in 2.31.0)" in capsys.readouterr().out


def test_fails_when_the_service_audited_nothing(audit, capsys):
    assert audit(UNAUDITED, OURS) == 1
    assert "could audit no package" in capsys.readouterr().err


def test_an_unreachable_service_is_a_loud_skip_only_when_allowed(audit, monkeypatch, capsys):
    monkeypatch.setenv("PIP_AUDIT_ALLOW_UNREACHABLE", "1")

    assert audit(UNAUDITED, OURS) == 0
    assert "pip-audit SKIPPED" in capsys.readouterr().out


def test_allowing_an_unreachable_service_does_not_excuse_a_partial_audit(audit, monkeypatch):
    monkeypatch.setenv("PIP_AUDIT_ALLOW_UNREACHABLE", "1")

    assert audit(CLEAN, UNAUDITED) == 1


def test_fails_when_pip_audit_itself_fails(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(
        module.subprocess,
        "run",
        lambda *a, **k: subprocess.CompletedProcess(a, 2, "", "pip-audit: error"),
    )

    assert module.main([]) == 1
