"""parallel.map_shared: workers and, once its own work is done, this process take the items in chunks; results come in order."""

from __future__ import annotations

import os
import time

import pytest

from dossier import parallel
from dossier.parallel import map_shared

pytestmark = pytest.mark.skipif(not parallel._forks(), reason="one core, or no fork: everything runs in this process")


def _items(shared: float, start: int, stop: int) -> list[tuple[int, int]]:
    time.sleep(shared * (stop - start))
    return [(item, os.getpid()) for item in range(start, stop)]


def test_results_cover_every_item_once_in_order_and_both_processes_take_chunks():
    ran: list[int] = []
    parts = map_shared(_items, 60, 0.02, meanwhile=lambda: ran.append(os.getpid()), min_items=10, chunk=4)
    assert ran == [os.getpid()]  # `meanwhile` ran here
    assert [len(part) for part in parts] == [4] * 15  # chunk by chunk, in order
    done = [item for part in parts for item in part]
    assert [item for item, _ in done] == list(range(60))
    pids = {pid for _, pid in done}
    assert os.getpid() in pids, "this process took no chunk once `meanwhile` was done"
    assert len(pids) == 2, "no worker took a chunk"


def test_a_small_job_runs_here_before_meanwhile():
    order: list[str] = []

    def meanwhile() -> None:
        order.append("meanwhile")

    parts = map_shared(_items, 5, 0.0, meanwhile=meanwhile, min_items=10)
    assert [item for part in parts for item, pid in part if pid == os.getpid()] == [0, 1, 2, 3, 4]
    assert order == ["meanwhile"]
