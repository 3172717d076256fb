"""Start gunicorn for bench/bidding.py on 127.0.0.1, and always stop it again.

The server runs in a session of its own, so a Ctrl-C in the terminal reaches only the bench,
whose `finally` stops the server: SIGTERM to the master (gunicorn's graceful stop), then
SIGKILL to its process group if it has not gone within 15 seconds.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60
STOP_SECONDS = 15


@dataclass(frozen=True)
class ServerOptions:
    workers: int = 4
    worker_class: str = "sync"
    threads: int = 1


@dataclass
class RunningServer:
    process: subprocess.Popen
    port: int
    log_path: Path

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (Linux)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces; fields follow it.
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(options: ServerOptions, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(options.workers),
        "--worker-class",
        options.worker_class,
        "--threads",
        str(options.threads),
        "--log-level",
        "warning",
    ]


@contextlib.contextmanager
def gunicorn_running(options: ServerOptions, *, env: dict[str, str]) -> Iterator[RunningServer]:
    port = free_port()
    log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the server's life
        prefix="bench-gunicorn-", suffix=".log", delete=False
    )
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        gunicorn_command(options, port),
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = RunningServer(process=process, port=port, log_path=Path(log_file.name))
    try:
        _wait_until_listening(server)
        yield server
    finally:
        _stop(process)
        log_file.close()
        # Kept only when something went wrong; refused bids alone log a warning each.
        if "Traceback" not in server.log_path.read_text(errors="replace"):
            server.log_path.unlink()
        else:
            print(f"gunicorn logged errors: {server.log_path}", file=sys.stderr)


def _wait_until_listening(server: RunningServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start:\n{server.log_tail()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", server.port), 1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen within {STARTUP_SECONDS} s:\n{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        # Only the group this bench started (start_new_session: its id is the master's pid).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
