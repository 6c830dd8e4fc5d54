"""parallel.in_background: work done in a forked process while this one goes on, with this process as the fallback."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

from dossier import parallel
from dossier.parallel import in_background


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _fails(message: str) -> None:
    raise ValueError(message)


def test_the_result_is_what_the_function_returns_and_is_asked_for_once():
    result = in_background(_square_and_pid, 12)
    first = result()
    assert first[0] == 144
    assert result() is first  # kept: the process is not asked twice


def test_a_function_failing_in_the_other_process_fails_here_with_its_own_error():
    result = in_background(_fails, "kaputt")
    with pytest.raises(ValueError, match="kaputt"):
        result()


def _large_result(pid_file: Path) -> bytes:
    pid_file.write_text(str(os.getpid()))
    return bytes(4 * 1024 * 1024)  # far more than a pipe holds: sending it waits for a reader


@pytest.mark.skipif(not parallel._forks(), reason="one core or no fork: the function runs here, when asked")
def test_a_result_never_asked_for_does_not_keep_the_other_process_waiting(tmp_path: Path):
    # A build that fails before it needs the result drops it and leaves; the other process must end too.
    pid_file = tmp_path / "pid"
    result = in_background(_large_result, pid_file)
    deadline = time.monotonic() + 20
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the other process did not start"
        time.sleep(0.01)
    pid = int(pid_file.read_text())
    del result
    gc.collect()  # the receiving end is closed with the last reference to it
    deadline = time.monotonic() + 20
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        assert time.monotonic() < deadline, "the other process still waits to send its result"
        time.sleep(0.05)
