"""pip-audit over the installed packages, refusing to pass when it could audit nothing.

    .venv/bin/python bin/audit_dependencies.py [extra pip-audit arguments]

pip-audit asks a vulnerability service (PyPI's JSON API by default) about each installed
version. When the service does not answer it marks every package "could not be audited" and
still prints "No known vulnerabilities found" with exit status 0: a silent pass. This script
fails instead: on any known vulnerability, on any package the service could not audit
(our own editable package aside), and when it could audit none at all.

The one exception is PIP_AUDIT_ALLOW_UNREACHABLE=1, for a machine that cannot reach any
vulnerability service: when no package at all could be audited, it prints a SKIPPED banner
and exits 0. Vulnerabilities found, or a service that answers for some packages only, still
fail.
"""

import json
import os
import subprocess
import sys

OUR_PACKAGE = "worker-innovation-exchange"


def main(extra_args: list[str]) -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        *extra_args,
    ]
    # Our own interpreter and arguments, no shell.
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr, file=sys.stderr)
        print(f"pip-audit failed (exit status {result.returncode}).", file=sys.stderr)
        return 1

    dependencies = [d for d in report["dependencies"] if d["name"] != OUR_PACKAGE]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    unaudited = [d for d in dependencies if "skip_reason" in d]
    audited = len(dependencies) - len(unaudited)
    print(
        f"pip-audit: {len(dependencies)} packages, {audited} audited, "
        f"{len(vulnerable)} with known vulnerabilities, {len(unaudited)} could not be audited."
    )

    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(
                f"  {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})"
            )
    if vulnerable:
        return 1

    if unaudited and audited == 0:
        reason = unaudited[0]["skip_reason"]
        if os.environ.get("PIP_AUDIT_ALLOW_UNREACHABLE") == "1":
            print(
                "\n*** pip-audit SKIPPED: its vulnerability service answered for no package "
                f"(e.g. {reason}).\n*** Nothing was audited. Run `make audit` on a machine "
                "that reaches the service.\n"
            )
            return 0
        print(
            f"pip-audit could audit no package: is its vulnerability service reachable?\n"
            f"  e.g. {reason}",
            file=sys.stderr,
        )
        return 1

    for dependency in unaudited:
        print(f"  not audited: {dependency['skip_reason']}", file=sys.stderr)
    return 1 if unaudited else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
