"""Work spread over every core: a pool of forked processes, each a copy of the build's process.

Forked workers inherit everything the build holds (the checked content, MkDocs' pages), so a
task is sent as little more than its name and only its result comes back. Where no worker
process can start (no ``fork``, or no working shared memory), or there is too little work for
a pool to pay, the work is done in this process instead, with the same results.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Generator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Generic, TypeVar

NOTICES = logging.getLogger("learning_lessons.site")
"""One-line notices about how the build ran (as ``site.NOTICES``)."""

SMALL_BATCH = 4
"""Fewer tasks than this are done in this process: a pool would cost more."""

LONG_LIVED = 200
"""From this many tasks, the memory this process freed is given back before the workers are
forked (``return_free_memory``): such workers live while the build goes on using memory. A pool
for fewer (a rebuild's few pages) ends first, and giving back would cost more than it saves
(a full garbage collection: a fifth of a second at 1,000 reviews)."""

FINISHING = 60.0
"""Seconds ``forked_map`` waits, when its caller stops early, for each batch its workers were
given to be done before it ends the pool: a worker ended while it sends a result back would
hold the pool's lock on its results for good, and ending the pool would then never finish (as
it can in CPython's ``Pool.terminate``). At most a few batches are given ahead (``most_ahead``)."""

Task = TypeVar("Task")
Result = TypeVar("Result")

_DOING: list[Callable] = []
"""The function the workers apply (the last one set): set before the pool is forked, so the
workers inherit it, however it was made (a closure, say), and it is never pickled."""


def cpu_count() -> int:
    """The cores this process may use."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        return counted() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def return_free_memory() -> None:
    """Give the memory this process has freed, but still holds, back to the system: before
    workers are forked from it, say. Freed memory stays in the process (the C library keeps it
    for later), and a forked worker shares it: when the build then uses it again, it is copied,
    and the worker goes on holding the old copy, which it never uses. Unreachable objects are
    collected first. Only the GNU C library (Linux) can do this; elsewhere (macOS, musl) only
    the collection is done."""
    gc.collect()
    if C_LIBRARY is not None:
        C_LIBRARY.malloc_trim(0)


def _c_library() -> ctypes.CDLL | None:
    """The C library this process runs on, if it can give freed memory back (``malloc_trim``)."""
    try:
        library = ctypes.CDLL(None)
    except OSError:
        return None
    return library if hasattr(library, "malloc_trim") else None


C_LIBRARY = _c_library()
"""The C library, to give freed memory back (``return_free_memory``), or None."""


def _do(tasks: list[object]) -> list[object]:
    return [_DOING[-1](task) for task in tasks]


def batch_size(tasks: int, workers: int) -> int:
    """How many tasks go to a worker at a time."""
    return max(1, min(8, tasks // (workers * 4)))


BATCHES_AHEAD = 4
"""Batches of tasks given to each worker ahead of the one whose results are awaited: enough to
keep every worker busy, few enough that results never pile up waiting (``most_ahead``)."""


def most_ahead(tasks: int, workers: int) -> int:
    """The most tasks ``forked_map`` has done, or is doing, beyond the results it has given."""
    return workers * BATCHES_AHEAD * batch_size(tasks, workers)


def forked_map(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    workers: int = 0,
    alone: str = "The work is done in one process",
) -> Generator[Result, None, None]:
    """``function`` applied to each of ``tasks``, in order, in a pool of ``workers`` forked
    processes (every core, by default) when there are enough tasks and cores, else in this
    process. The workers work at most ``most_ahead`` tasks ahead of the results taken, so
    results (pages, say) never wait in memory all at once. Each task and result is pickled;
    ``function`` is not (the workers inherit it). Where no worker can start, a notice says so,
    beginning with ``alone``."""
    workers = workers or cpu_count()
    if workers < 2 or len(tasks) < SMALL_BATCH:
        yield from map(function, tasks)
        return
    _DOING.append(function)
    try:
        try:
            if len(tasks) >= LONG_LIVED:
                return_free_memory()
            pool = multiprocessing.get_context("fork").Pool(workers)
        except (OSError, ValueError) as error:  # no working shared memory (/dev/shm), or no fork
            NOTICES.warning("%s: no worker processes could start (%s).", alone, error)
            yield from map(function, tasks)
            return
        with pool:  # let go (terminated) however the caller stops
            size = batch_size(len(tasks), workers)
            waiting: deque[AsyncResult] = deque()
            try:
                for start in range(0, len(tasks), size):
                    waiting.append(pool.apply_async(_do, (list(tasks[start : start + size]),)))
                    if len(waiting) >= workers * BATCHES_AHEAD:
                        yield from waiting.popleft().get()
                while waiting:
                    yield from waiting.popleft().get()
            finally:
                for given in waiting:  # the caller stopped early: let the workers finish what they have
                    given.wait(FINISHING)
    finally:
        _DOING.pop()


class Background(Generic[Result]):
    """Work going on in a forked process (``in_background``): its result, once it is done."""

    def __init__(self, process: int, receiving: int) -> None:
        self.process = process
        self.receiving = receiving

    def result(self) -> Result:
        """Wait for the work to end and give its result, or raise what it raised."""
        with os.fdopen(self.receiving, "rb") as receiving:
            data = receiving.read()
        _, status = os.waitpid(self.process, 0)
        if not data:  # it died without a word (killed, out of memory)
            raise OSError(f"the background process ended with status {os.waitstatus_to_exitcode(status)}")
        outcome, value = pickle.loads(data)
        if outcome == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the work, if it is still going on (the build failed)."""
        try:
            os.kill(self.process, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self.process, 0)
        os.close(self.receiving)


def _send_result(function: Callable[[], Result], sending: int) -> None:
    try:
        outcome: tuple[str, object] = ("ok", function())
    except BaseException as error:  # raised again in the build's process
        outcome = ("error", error)
    try:
        data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # a result or error that cannot be pickled
        data = pickle.dumps(("error", RuntimeError(f"{outcome[1]!r} could not be sent back: {error}")))
    with os.fdopen(sending, "wb") as file:
        file.write(data)


def in_background(function: Callable[[], Result]) -> Background[Result] | None:
    """``function()`` called in a forked process while this one goes on; None where no process
    can be forked (then nothing has been done). The process inherits everything this one holds,
    as it is now; ``function`` is not pickled, its result is. The new process's garbage collector
    leaves the objects it inherits alone (``gc.freeze`` there), so that it copies fewer of them."""
    if not hasattr(os, "fork"):
        return None
    receiving, sending = os.pipe()
    try:
        process = os.fork()
    except OSError:
        os.close(receiving)
        os.close(sending)
        return None
    if process == 0:  # the new process: do the work, send its result, and end
        status = 1
        try:
            gc.freeze()
            os.close(receiving)
            _send_result(function, sending)
            status = 0
        finally:
            os._exit(status)
    os.close(sending)
    return Background(process, receiving)
