"""The benchmark's gunicorn: started on 127.0.0.1 with the workers asked for, and stopped
again when the bench fails or is interrupted."""

import os
import socket
import time

import pytest

from bench.bidding_server import ServerOptions, gunicorn_command, gunicorn_running


def test_the_command_binds_to_localhost_with_the_workers_asked_for():
    command = gunicorn_command(ServerOptions(workers=3, worker_class="gthread", threads=8), 8123)

    assert command[1:4] == ["-m", "gunicorn", "config.wsgi:application"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--worker-class") + 1] == "gthread"
    assert command[command.index("--threads") + 1] == "8"


def spawned_workers(server, count):
    """The master forks its workers just after it starts listening: give it a moment."""
    for _ in range(100):
        workers = server.worker_pids()
        if len(workers) >= count:
            return workers
        time.sleep(0.1)
    return server.worker_pids()


def test_the_server_listens_and_is_stopped_when_the_bench_fails():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}

    with (
        pytest.raises(RuntimeError, match="bench failed"),
        gunicorn_running(ServerOptions(workers=2), env=environment) as server,
    ):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass
        workers = spawned_workers(server, 2)
        assert len(workers) == 2
        raise RuntimeError("bench failed")

    assert server.process.returncode is not None
    for pid in [server.process.pid, *workers]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
