"""The work spread over every core: the same results as one process, and no process left behind."""

from __future__ import annotations

import gc
import multiprocessing
import os
import platform
import time
from pathlib import Path

import pytest
from conftest import make_project

from generator.build import check, generate
from generator.pipeline import workers
from generator.pipeline.generate_cache import GenerateCache
from generator.pipeline.render import render
from generator.pipeline.workers import forked_map


def test_forked_map_gives_what_map_gives_in_order_from_worker_processes() -> None:
    offset = 1000  # a closure: the workers inherit the function, it is never pickled
    tasks = list(range(40))
    found = list(forked_map(lambda number: (number + offset, os.getpid()), tasks, workers=2))
    assert [value for value, _ in found] == [number + offset for number in tasks]
    assert {pid for _, pid in found} - {os.getpid()}, "no task ran in a worker process"
    assert multiprocessing.active_children() == []


def test_freed_memory_is_given_back_before_a_pool_for_many_tasks_is_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory the build freed but holds would be shared with each worker, then copied when the
    build used it again: it is given back first (with the GNU C library, as on Debian)."""
    if platform.libc_ver()[0] == "glibc":  # as on Debian
        assert workers.C_LIBRARY is not None
    trimmed: list[int] = []

    class Library:
        def malloc_trim(self, pad: int) -> int:
            trimmed.append(pad)
            return 1

    monkeypatch.setattr(workers, "C_LIBRARY", Library())
    assert list(forked_map(abs, [-1, -2], workers=2)) == [1, 2]  # too few to fork: done here
    assert trimmed == []
    assert list(forked_map(abs, list(range(-20, 0)), workers=2)) == list(range(20, 0, -1))
    assert trimmed == []  # a pool too short-lived for it to pay
    many = workers.LONG_LIVED
    assert list(forked_map(abs, list(range(-many, 0)), workers=2)) == list(range(many, 0, -1))
    assert trimmed == [0]


def test_a_worker_s_error_reaches_the_caller_and_no_worker_is_left() -> None:
    def fails_on_seven(number: int) -> int:
        if number == 7:
            raise ValueError("seven")
        return number

    with pytest.raises(ValueError, match="seven"):
        list(forked_map(fails_on_seven, list(range(20)), workers=2))
    assert multiprocessing.active_children() == []


def test_work_in_the_background_gives_its_result_from_another_process() -> None:
    held = {"pages": list(range(5))}  # inherited, never pickled

    waiting = workers.in_background(lambda: (sum(held["pages"]), os.getpid()))

    assert waiting is not None
    total, pid = waiting.result()
    assert total == 10 and pid != os.getpid()


def test_work_in_the_background_leaves_the_objects_held_out_of_garbage_collection_so() -> None:
    """The site stage holds its objects out of garbage collection (``build.shared_with_workers``);
    forking the index's process must not undo that, and that process holds them out too."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        waiting = workers.in_background(gc.get_freeze_count)
        assert gc.get_freeze_count() == frozen
        assert waiting is not None and waiting.result() > frozen // 2  # (a few may be freed as it starts)
    finally:
        gc.unfreeze()


def test_an_error_in_the_background_is_raised_where_the_result_is_asked_for() -> None:
    def fails() -> None:
        raise OSError("No space left on device")

    waiting = workers.in_background(fails)

    assert waiting is not None
    with pytest.raises(OSError, match="No space left on device"):
        waiting.result()


def test_background_work_cancelled_is_stopped(tmp_path: Path) -> None:
    finished = tmp_path / "finished"

    def slow() -> None:
        import time

        time.sleep(30)
        finished.touch()

    waiting = workers.in_background(slow)
    assert waiting is not None
    waiting.cancel()  # returns once the process has ended
    with pytest.raises(ChildProcessError):
        os.waitpid(waiting.process, os.WNOHANG)
    assert not finished.exists()


def test_where_no_process_can_be_forked_nothing_is_done_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(workers.os, "fork", no_fork)
    done: list[int] = []

    assert workers.in_background(lambda: done.append(1)) is None
    assert done == []


def test_a_caller_stopping_early_lets_the_workers_finish_what_they_were_given(tmp_path: Path) -> None:
    """Ending a pool while a worker sends a result back can leave the pool's lock on its results
    held for good, and ending it then never finishes: so the batches given are done first."""

    def mark(number: int) -> int:
        time.sleep(0.005)
        (tmp_path / str(number)).touch()
        return number

    tasks = list(range(400))
    made = forked_map(mark, tasks, workers=2)
    assert next(made) == 0
    made.close()

    done = {int(path.name) for path in tmp_path.iterdir()}
    assert set(range(workers.most_ahead(len(tasks), 2))) <= done < set(tasks)
    assert multiprocessing.active_children() == []


def test_without_worker_processes_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoWorkers:
        def Pool(self, count: int) -> None:  # noqa: N802  (multiprocessing's name)
            raise OSError("Function not implemented")

    monkeypatch.setattr(workers.multiprocessing, "get_context", lambda method: NoWorkers())
    assert list(forked_map(lambda number: number + 1, list(range(10)), workers=2)) == list(range(1, 11))


def test_pages_rendered_ahead_are_the_pages_and_their_workers_are_let_go(tmp_path: Path) -> None:
    """The writer reads the pages in order, rendered on every core; a page read out of order (as
    a PDF's page is) is rendered where it is read. Neither leaves a worker running (a worker left
    would hold the build's output pipe open, and whoever waits for the build would wait on)."""
    project = make_project(tmp_path / "project", with_sample_reviews=True, pdfs=False)
    content = check(project)
    alone = dict(render(content))
    ahead = render(content, parallel=True)
    paths = list(ahead)
    assert len(paths) > 4 * workers.SMALL_BATCH
    out_of_order = paths[len(paths) // 2]
    assert ahead[out_of_order] == alone[out_of_order]
    assert {path: ahead[path] for path in paths} == alone
    assert ahead.ahead is not None and ahead.ahead.made is not None, "the pages were not rendered ahead"
    assert multiprocessing.active_children() == []


def test_pages_read_out_of_order_with_a_cache_are_the_pages_and_no_worker_is_left(tmp_path: Path) -> None:
    """Pages passed over, read twice, or read after the workers passed them are still the pages;
    the workers go once the last page is read, or when the pages are closed."""
    project = make_project(tmp_path / "project", with_sample_reviews=True, pdfs=False)
    kept = GenerateCache(tmp_path / "cache", code="x")
    content = check(project, kept=kept)
    alone = dict(render(content))
    ahead = render(content, kept=kept, parallel=True)
    assert ahead.kept is not None
    paths = list(ahead)
    for path in [paths[0], paths[5], paths[5], paths[2], *paths[::-1]]:
        assert ahead[path] == alone[path], path
    assert multiprocessing.active_children() == []
    stopped = render(content, parallel=True)
    assert [stopped[path] for path in paths[:3]] == [alone[path] for path in paths[:3]]
    stopped.close()
    assert multiprocessing.active_children() == []
    assert stopped[paths[3]] == alone[paths[3]]


def test_a_build_leaves_no_worker_process_behind(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", with_sample_reviews=True, pdfs=False)
    generate(project)
    assert multiprocessing.active_children() == []
