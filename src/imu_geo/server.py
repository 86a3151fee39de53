"""Start the dashboard's Streamlit server, tidying up after earlier servers first.

``python -m imu_geo.server run app.py [streamlit options]`` is ``streamlit run``
preceded by the start-up clean-up of the map's point files: the folders of
servers that are no longer running (one that crashed, say) are removed before
this server answers its first request, so nothing they held is served again.
Every way of starting the dashboard uses it (``make run``, ``make serve``,
``imu-geo run``, the tests and the benchmarks; see
:func:`imu_geo.cli.streamlit_command`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from imu_geo import logs
from imu_geo.pointfiles import POINTS_ROOT, remove_stale_folders


def tidy_point_files() -> int:
    """Remove the point folders no running server holds; return how many."""
    log = logs.configure()
    try:
        removed = remove_stale_folders(POINTS_ROOT)
    except OSError:
        log.exception("the point folder %s cannot be tidied", POINTS_ROOT)
        return 0
    if removed:
        log.info(
            "removed %d point folder(s) of stopped servers",
            removed,
            extra={"event": "startup_tidy"},
        )
    return removed


def main(argv: Sequence[str] | None = None) -> int:
    """Tidy, then hand the command line to Streamlit's own (``streamlit …``)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    tidy_point_files()
    from streamlit.web import cli

    sys.argv = ["streamlit", *arguments]
    logging.getLogger(logs.LOGGER).debug("starting streamlit %s", arguments)
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
