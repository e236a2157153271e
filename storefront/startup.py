"""What every backend worker does when it starts: migrate and seed, start the mail courier, say where things are.

The start ends with a few lines of our own (the shop's URL, the outbox's, the database, any warning), printed
by the first worker only, so `make run` reads the same with one worker or several.
"""

from __future__ import annotations

import asyncio
import gc
import os
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from storefront import routes
from storefront.config import Settings, get_settings
from storefront.migrate import prepare_database
from storefront.services.courier import courier


def banner(settings: Settings) -> str:
    """The closing lines of a start; a database password is never shown."""
    lines = [f"Storefront is running at {settings.base_url}"]
    if settings.outbox_enabled:
        lines.append(f"  Mail outbox: {routes.absolute(settings.base_url, routes.OUTBOX)}")
    lines.append(f"  Database:    {make_url(settings.database_url).render_as_string(hide_password=True)}")
    lines += [f"  Warning: {warning}" for warning in settings.startup_warnings()]
    return "\n".join(lines)


def first_worker() -> bool:
    """True in one worker of this start: the workers share a parent, and the first to claim its marker wins."""
    marker = Path(tempfile.gettempdir()) / f"storefront-started-{os.getppid()}"
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


async def startup() -> None:
    """Migrate and seed, start the mail courier (it also retries every 30 s), then print the banner once.

    The warnings are in the banner only: logged by every worker as well, a start said each of them twice or more.
    """
    settings = get_settings()
    settings.secret_keys  # noqa: B018  read now, so a missing key is known at start, not at the first claim
    await asyncio.to_thread(prepare_database, settings.database_url)
    courier.wake()  # mail an earlier run left undelivered goes out now
    # What import and compilation made lives as long as the process: out of the cyclic collector's way, every
    # full collection skips it (~75k objects, ~90 ms of each full collection: the stall probe's figures).
    gc.collect()
    gc.freeze()
    if first_worker():
        print(banner(settings), flush=True)
