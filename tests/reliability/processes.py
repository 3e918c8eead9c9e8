"""Processes a reliability test starts, stops and waits for."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def drop_broker_pools(app: Any) -> None:
    """Close this process's broker connections, so the next message opens one to the new URL."""
    from kombu import pools

    # Why reset kombu's pools too: it keeps one per broker for the whole process, and a closed
    # one cannot be used again.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class PrivateRedis:
    """A redis-server of the test's own, on a free port, that the test may kill or pause.

    The shared Redis serves other tests and services, so an outage is staged here instead.
    Nothing is persisted: a killed server comes back empty, as after losing its host.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self.paused = False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, "start Redis", seconds=10)

    def answers(self) -> bool:
        try:
            with redis.Redis(port=self.port, socket_timeout=0.5) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()
        self.process = None

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)
        self.paused = False

    def close(self) -> None:
        if self.process is None:
            return
        if self.paused:
            self.resume()
        self.kill()


def wait_until(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"did not {what} within {seconds:g} seconds")


INITDB = shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb"
POSTGRES = shutil.which("postgres") or "/usr/lib/postgresql/15/bin/postgres"
# Why: PostgreSQL refuses to run as root; the test may be root in CI containers.
POSTGRES_USER = "postgres"


class PrivatePostgres:
    """A PostgreSQL server of the test's own, on a free port, that the test may pause.

    Pausing stops the postmaster and every backend (SIGSTOP to its process group): connections
    are still accepted by the kernel, but nothing answers, as with a stalled host.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.paused = False

    def start(self) -> None:
        data = self.folder / "data"
        shutil.chown(self.folder, POSTGRES_USER)
        run_as = {"user": POSTGRES_USER} if _is_root() else {}
        subprocess.run(  # noqa: S603
            [INITDB, "-D", str(data), "-U", "postgres", "--auth=trust", "-N"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **run_as,  # type: ignore[arg-type]
        )
        self.process = subprocess.Popen(  # noqa: S603
            [
                POSTGRES,
                "-D",
                str(data),
                "-p",
                str(self.port),
                "-k",
                str(self.folder),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            **run_as,  # type: ignore[arg-type]
        )
        wait_until(self.answers, "start PostgreSQL", seconds=20)

    def connect(self, timeout: int = 2) -> Any:
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname="postgres",
            connect_timeout=timeout,
        )

    def answers(self) -> bool:
        import psycopg2

        try:
            self.connect(timeout=1).close()
        except psycopg2.OperationalError:
            return False
        return True

    def _signal_group(self, signum: int) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signum)

    def pause(self) -> None:
        self._signal_group(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self._signal_group(signal.SIGCONT)
        self.paused = False

    def close(self) -> None:
        if self.process is None:
            return
        if self.paused:
            self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait()
        self.process = None


def _is_root() -> bool:
    return os.geteuid() == 0
