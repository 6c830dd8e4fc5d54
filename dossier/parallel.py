"""Spread work over every core: forked worker processes that inherit their input instead of receiving it.

The build's data is large and already in memory; forking lets each worker read its share without
pickling it, so only the (small, array-shaped) results travel back. Hand the workers few, large
objects (one long string, arrays): touching millions of small objects in a child copies the pages
that hold them, which costs more than the work. Small jobs stay in this process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from . import tuning

R = TypeVar("R")


_job: tuple[Callable[..., Any], Any] | None = None


def workers() -> int:
    """Return how many processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_ranges(
    func: Callable[[Any, int, int], R],
    count: int,
    shared: Any,
    min_items: int = tuning.MIN_ITEMS,
    meanwhile: Callable[[], None] | None = None,
) -> list[R]:
    """Return [func(shared, start, stop) for consecutive ranges covering 0..count], run in parallel, in order.

    `func` must be a module-level function; `shared` is read from the parent's memory after fork.
    `meanwhile` runs in this process while the workers work (after `func`, when the job stays here).
    """
    if not _forks(count, min_items):
        return _here(func, count, shared, meanwhile)
    processes = workers()
    global _job
    size = -(-count // processes)
    bounds = [(start, min(start + size, count)) for start in range(0, count, size)]
    _job = (func, shared)
    try:
        with multiprocessing.get_context("fork").Pool(len(bounds)) as pool:
            pending = pool.map_async(_run, bounds)
            if meanwhile is not None:
                meanwhile()
            return pending.get()
    finally:
        _job = None


def map_shared(
    func: Callable[[Any, int, int], R], count: int, shared: Any, meanwhile: Callable[[], None] | None = None,
    min_items: int = tuning.MIN_ITEMS, chunk: int = 100,
) -> list[R]:  # fmt: skip
    """Return [func(shared, start, stop) for consecutive ranges covering 0..count], in order, made by workers on all
    cores but one while this process runs `meanwhile`, and by this process too once that is done.

    For two jobs of about the same size, neither known in advance to the second, or for items of uneven cost:
    the workers and then this process take `chunk` items at a time, in turn, until none are left, so whichever
    finishes its own work first helps with the rest. Small jobs stay in this process (func, then meanwhile), as
    with map_ranges.
    """
    if not _forks(count, min_items):
        return _here(func, count, shared, meanwhile)
    processes = workers() - 1
    global _job
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # the next item no one has taken, in memory the forked workers share
    _job = (func, (shared, taken, count, chunk))
    try:
        with context.Pool(processes) as pool:
            pending = pool.map_async(_run_shared, range(processes))
            if meanwhile is not None:
                meanwhile()
            done = dict(_take(func, shared, taken, count, chunk))
            for part in pending.get():
                done.update(part)
    finally:
        _job = None
    return [done[start] for start in sorted(done)]


def _forks(count: int = 1, min_items: int = 0) -> bool:
    """Return whether a job of `count` items goes to forked processes: there is a second core, fork, and `min_items` items."""
    return workers() >= 2 and count >= min_items and "fork" in multiprocessing.get_all_start_methods()


def _here(func: Callable[[Any, int, int], R], count: int, shared: Any, meanwhile: Callable[[], None] | None) -> list[R]:
    """Do the whole job in this process, then `meanwhile`."""
    results = [func(shared, 0, count)]
    if meanwhile is not None:
        meanwhile()
    return results


def _run_shared(_: int) -> list[tuple[int, Any]]:
    assert _job is not None
    func, (shared, taken, count, chunk) = _job
    return _take(func, shared, taken, count, chunk)


def _take(func: Callable[[Any, int, int], R], shared: Any, taken: Any, count: int, chunk: int) -> list[tuple[int, R]]:
    """Take `chunk` items at a time from the shared counter `taken` and do them, until none are left; return (start, result) pairs."""
    made = []
    while True:
        with taken.get_lock():
            start = taken.value
            taken.value = min(start + chunk, count)
        if start >= count:
            return made
        made.append((start, func(shared, start, min(start + chunk, count))))


def _run(bounds: tuple[int, int]) -> Any:
    assert _job is not None
    func, shared = _job
    return func(shared, *bounds)


def in_background(func: Callable[..., R], *args: Any) -> Callable[[], R]:
    """Start `func(*args)` in a forked process; return a function that waits for its result and returns it.

    For work this process would otherwise do in turn with other work (walking the site's folders, making
    the whole-site files while a few pages render): the result travels back pickled. Without a second
    core or fork, or when the process fails, `func` runs here when its result is asked for.
    """
    done: list[R] = []
    forks = _forks()
    if forks:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_send, args=(send, receive, func, args), daemon=True)
        process.start()
        send.close()

    def result() -> R:
        if done:
            return done[0]
        if not forks:
            done.append(func(*args))
            return done[0]
        try:
            done.append(receive.recv())
        except EOFError:  # it failed: run it here, where what goes wrong is reported
            done.append(func(*args))
        finally:
            receive.close()
            process.join()
        return done[0]

    return result


def _send(connection: Connection, theirs: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    # The receiving end is the parent's alone: should the parent never ask for the result (a build that failed)
    # and leave (build.py leaves without cleaning up), sending then fails instead of waiting for a reader forever.
    theirs.close()
    try:
        connection.send(func(*args))
    except BaseException:  # noqa: BLE001, S110 - the parent runs func itself and reports what goes wrong
        pass
    finally:
        connection.close()
