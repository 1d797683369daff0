"""Working through many records quickly: a second process, fewer garbage collections.

`claims import` of a large file reads, parses and validates its records in a second
process while the first writes them to the database.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from ..errors import ClaimsError

CHUNK = 500  # items per message: few enough to keep memory flat, enough to make each message worth sending
AHEAD = 8  # chunks the second process may have ready before the first takes them
ITEMS, DONE, ERROR = b"i", b"d", b"e"  # what a message holds, from its first byte
COLLECTION_THRESHOLD = 50_000  # allocations between two garbage collections, instead of 700


def in_background(
    produce: Callable[..., Iterable[Any]], *args: Any, idle: Callable[[], bool] | None = None
) -> Iterator[Any]:
    """What `produce(*args)` yields, in order, produced by a second process; its exceptions are raised here.

    While nothing is ready, `idle()` is called, again and again until it returns False (nothing to do).

    `produce` must be a module-level function and its arguments picklable; what it yields must be
    plain values (tuples, lists, dicts, text, numbers), which `marshal` sends quickest. They travel
    in chunks, a few at a time, so memory stays flat.
    """
    context = multiprocessing.get_context("spawn")  # not fork: the parent may be running threads
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_produce, args=(sender, produce, args), daemon=True)
    process.start()
    sender.close()
    try:
        while True:
            while idle is not None and not receiver.poll() and idle():
                pass
            try:
                message = receiver.recv_bytes()
            except EOFError:
                raise ClaimsError(
                    f"the process reading the input stopped unexpectedly (exit code {process.exitcode})"
                ) from None
            kind, payload = message[:1], message[1:]
            if kind == ERROR:
                raise pickle.loads(payload)
            if kind == DONE:
                return
            yield from marshal.loads(payload)
    finally:
        receiver.close()
        if process.is_alive():  # the consumer stopped early
            process.terminate()
        process.join()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often: records make many short-lived objects and no cycles, and each
    collection would walk the thousands of values that the parsers remember."""
    threshold = gc.get_threshold()
    gc.set_threshold(COLLECTION_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _produce(sender: Connection, produce: Callable[..., Iterable[Any]], args: tuple) -> None:
    """In the second process: send what `produce(*args)` yields, chunk by chunk, then DONE or the error.

    A thread sends, so that producing goes on while the consumer is busy, up to AHEAD chunks ahead.
    """
    gc.set_threshold(COLLECTION_THRESHOLD)
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=AHEAD)
    gone = threading.Event()  # the consumer stopped reading
    sending = threading.Thread(target=_send_all, args=(outbox, sender, gone), daemon=True)
    sending.start()
    try:
        for message in _messages(produce(*args)):
            if gone.is_set():
                break
            outbox.put(message)
    except Exception as e:
        outbox.put(ERROR + pickle.dumps(e))
    finally:
        outbox.put(None)
        sending.join()
        sender.close()


def _messages(items: Iterable[Any]) -> Iterator[bytes]:
    """ITEMS messages of CHUNK items each, then DONE."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield ITEMS + marshal.dumps(chunk)
            chunk = []
    yield ITEMS + marshal.dumps(chunk)
    yield DONE


def _send_all(outbox: queue.Queue[bytes | None], sender: Connection, gone: threading.Event) -> None:
    """Send what the outbox holds until None; if the consumer has gone, say so and empty the outbox."""
    try:
        while (message := outbox.get()) is not None:
            sender.send_bytes(message)
    except OSError:
        gone.set()
        while outbox.get() is not None:
            pass
