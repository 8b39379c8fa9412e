"""Test helper: run a child process until it says it reached a point, then SIGKILL it there."""

from __future__ import annotations

import signal
import subprocess


def kill_when_ready(args: list[str], ready: str, **popen_kwargs) -> int:
    """Start ``args``, wait for the line ``ready`` on its stdout, SIGKILL it and reap it; its pid."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, **popen_kwargs)
    try:
        assert proc.stdout.readline().strip() == ready
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    return proc.pid
