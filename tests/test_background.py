"""parallel.in_background: work done in a forked process while this one goes on, with this process as the fallback."""

from __future__ import annotations

import os

import pytest

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
