"""Worker processes for a folder: results in input order, and no run lost to one process.

``imap_in_order`` works like ``multiprocessing.Pool.imap``, with three guarantees that pool
lacks: workers leave Ctrl-C and SIGTERM to the parent (which stops them and prints one line);
workers end when the parent ends, even by SIGKILL; and a worker that dies (killed for memory,
a crash in a C extension) does not hang the run. ``multiprocessing.Pool`` replaces a dead
worker but waits for its task forever, and can then hang when stopped; the process pool of
``concurrent.futures`` reports the death, and the items not yet done then run one per
process, so the item that kills its process is reported and every other item is kept.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def available_cores() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def may_start_workers() -> bool:
    """False inside a daemonic process (a worker of a ``multiprocessing`` pool), which may not
    have children of its own."""
    return not multiprocessing.current_process().daemon


def imap_in_order(function: Callable, items: list, jobs: int, one_by_one: Callable, died: Callable) -> Iterator:
    """Yield ``function(item)`` for each item, in order, from ``jobs`` processes.

    If a worker process dies, the items not yet yielded are split with ``one_by_one(item)``
    (a list of smaller items) and each runs in a process of its own; one whose process dies
    yields ``died(item, exitcode)`` instead of its result.
    """
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    done = 0
    with _executor(context, jobs) as submit:
        pending = collections.deque(submit(function, item) for item in items[: jobs * 2])
        try:
            while pending:
                value = pending.popleft().result()
                if done + len(pending) + 1 < len(items):
                    pending.append(submit(function, items[done + len(pending) + 1]))
                yield value
                done += 1
        except BrokenProcessPool:
            pass  # a worker died: the rest run one by one, below
    for item in items[done:]:
        for part in one_by_one(item):
            yield _alone(function, part, context, died)


def _alone(function: Callable, item, context, died: Callable):
    """``function(item)`` in a process of its own; ``died(item, exitcode)`` if that process dies."""
    with _executor(context, 1) as submit:
        future = submit(function, item)
        try:
            return future.result()
        except BrokenProcessPool:
            return died(item, submit.exitcodes()[0] if submit.exitcodes() else -signal.SIGKILL)


class _Submitter:
    """``submit`` of a process pool that knows the pool's worker processes (the children
    that appeared with it), to read their exit codes and to end them."""

    def __init__(self, executor, before: set[int]):
        self.executor, self.before, self.workers = executor, before, []

    def __call__(self, function, item):
        future = self.executor.submit(function, item)
        self.workers += [child for child in multiprocessing.active_children()
                         if child.pid not in self.before and child not in self.workers]
        return future

    def exitcodes(self) -> list[int]:
        return [worker.exitcode for worker in self.workers if worker.exitcode]


@contextlib.contextmanager
def _executor(context, processes: int):
    """A process pool for the block; on leaving it, however, its workers are ended at once
    (a pool's own shutdown would wait for the articles under way)."""
    before = {child.pid for child in multiprocessing.active_children()}
    executor = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker,
                                   initargs=(os.getpid(),))
    submit = _Submitter(executor, before)
    try:
        yield submit
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        for worker in submit.workers:
            if worker.exitcode is None:
                worker.kill()
        for worker in submit.workers:
            worker.join()


def _start_worker(parent: int) -> None:
    """A worker leaves Ctrl-C and SIGTERM to the parent, which stops the pool (so one line is
    printed, not a traceback per worker), and ends when the parent ends, however it ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not _kill_me_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent ended before this worker got here
        os._exit(1)


def _kill_me_with_parent() -> bool:
    """Ask Linux to send SIGKILL to this process when its parent dies; False elsewhere."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # 1 is PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Where there is no prctl: check every second that the parent is still there."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
