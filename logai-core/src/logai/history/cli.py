"""What the commands that chat (``ask``, the plain chat) share about saved conversations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logai.history.session import ChatSession

__all__ = ["resume_or_exit"]


async def resume_or_exit(session: ChatSession, which: int | str | None) -> None:
    """Resume saved conversation ``which`` ("latest", an id, or None for a new one).

    Anything that stops it (history off, unknown id, a file that cannot be read) is one clear
    line and exit status 1: answering without the context the user asked for would mislead.
    """
    from logai.cli._common import fail, note
    from logai.history.session import HistoryError

    if which is None:
        return
    try:
        if which == "latest":
            conversation_id = await session.latest_id()
            if conversation_id is None:
                problem = session.store.problem if session.store is not None else None
                if problem:
                    raise HistoryError(f"cannot read the history: {problem}")
                if session.store is None:
                    raise HistoryError(
                        "conversation history is off (LOGAI_HISTORY_ENABLED=false): "
                        "nothing to continue"
                    )
                raise HistoryError("no saved conversation to continue yet; ask without --continue")
        else:
            conversation_id = int(which)
        saved = await session.resume(conversation_id)
    except HistoryError as exc:
        fail(str(exc))
    note(
        f"continuing conversation {saved.id} ({len(saved.turns)} earlier questions)",
        only_on_tty=True,
    )
