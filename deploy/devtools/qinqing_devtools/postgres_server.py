"""A throwaway PostgreSQL cluster of our own (Debian's binaries), for runs that kill it."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from qinqing_devtools.nats_server import answers


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


class LocalPostgres:
    """initdb, start, kill -9 (the whole process group), restart with crash recovery."""

    def __init__(self, data: Path, port: int) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found (Debian package postgresql)")
        self.bin, self.data, self.port = bin_dir, data.resolve(), port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else [*command]

    def init(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        subprocess.run(
            self._as_postgres(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        settings = [
            "listen_addresses=127.0.0.1",
            "unix_socket_directories=",
            "max_connections=300",
            "fsync=on",
        ]
        command = [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port)]
        for setting in settings:
            command += ["-c", setting]
        log = (self.data.parent / "postgres.log").open("ab")
        # Our own child (not through runuser), so that the postmaster is the process we
        # kill and reap; TCP only, so that no socket lock file outlives a kill.
        user = "postgres" if os.geteuid() == 0 else None
        self.process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=user,
            group=user,
        )
        deadline = time.monotonic() + 60
        while not answers("127.0.0.1", self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not start; see postgres.log")
            time.sleep(0.2)
        time.sleep(0.5)  # accepting connections, recovery done

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend at once, as a machine crash would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None
            # The postmaster is dead but may linger as a zombie nobody reaps here, and
            # its pid in the lock file would stop the restart: the lock is stale.
            (self.data / "postmaster.pid").unlink(missing_ok=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None
