"""The ``imu-geo`` command: validate, export, summarise and serve from the shell.

Every sub-command prints a one-line reason and exits non-zero on failure; none
prints a traceback for a problem with its input.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

import geopandas as gpd

from imu_geo import __version__ as version
from imu_geo import animation
from imu_geo.data import (
    BUNDLED_DATA_DIR,
    DATA_ENV_VAR,
    PROJECT_DIR,
    DataError,
    default_data_dir,
)
from imu_geo.engine import EngineError
from imu_geo.engine.base import ENGINE_ENV_VAR, REMOTE_ENV_VAR
from imu_geo.engine.open import open_source
from imu_geo.export import table_csv_bytes, write_selection
from imu_geo.filters import (
    LINK_PARAMETERS,
    MODES,
    PAGE_PARAMETERS,
    spec_from_query,
)
from imu_geo.importers import (
    DATE_ORDERS,
    FORMATS,
    ImportFailure,
    Limits,
    import_raw,
    parse_size,
    read_file,
    read_table,
    write_import,
)
from imu_geo.importers.writing import command_lines, report_text
from imu_geo.layers import MapOptions, basemap_files
from imu_geo.render import (
    RENDER_COLUMNS,
    picture_bytes,
    picture_text,
    selection_picture_events,
    store_basemap,
)
from imu_geo.store import STORE_ENV_VAR, open_folder
from imu_geo.summaries import SUMMARY_LEVELS, format_text_table, summary_table
from imu_geo.validate import REGIONS_FILE, validate_directory

STATIC_DIR = PROJECT_DIR / "static"
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2
RENDER_FORMATS = ("png", "svg", *animation.FORMATS)


def _write(text: str, stream=None) -> None:
    (stream or sys.stdout).write(text + "\n")


def _progress(stream=None) -> Callable[[str], None] | None:
    """Each step of a long command on a line of its own, with the seconds since
    it began, when ``stream`` (standard error) is a terminal; None when it is a
    file or a pipe, whose reader wants the results alone."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None
    started = time.monotonic()

    def say(text: str) -> None:
        _write(f"imu-geo: {time.monotonic() - started:4.0f} s  {text}", stream)
        stream.flush()

    return say


def command_validate(arguments: argparse.Namespace) -> int:
    """Validate a data directory; print each problem and a summary line."""
    source_text = None
    if arguments.source is not None:
        try:
            source_text = Path(arguments.source).read_text(encoding="utf-8")
        except OSError as error:
            _write(f"imu-geo: cannot read the source text: {error}", sys.stderr)
            return EXIT_UNREADABLE
    directory = Path(arguments.directory) if arguments.directory else None
    report = validate_directory(directory or default_data_dir(), source_text)
    for problem in report.problems:
        _write(str(problem))
    _write(report.summary())
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def link_params(arguments: argparse.Namespace) -> dict[str, str]:
    """The filters given on the command line, as a link's query parameters."""
    return {
        parameter.name: getattr(arguments, parameter.name)
        for parameter in LINK_PARAMETERS
        if getattr(arguments, parameter.name) is not None
    }


def filter_options() -> argparse.ArgumentParser:
    """The options of every command that selects events: one per filter a
    dashboard link can carry (:data:`imu_geo.filters.LINK_PARAMETERS`), so a
    link's view can be exported, summarised or drawn from the shell."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group(
        "filters",
        "the dashboard link's parameters, one option each; a value the link "
        "would refuse is warned about, and its default used. A link's "
        + " and ".join(PAGE_PARAMETERS)
        + " choose what a page shows, not which events, and have no option",
    )
    for parameter in LINK_PARAMETERS:
        choices = list(MODES) if parameter.name == "mode" else None
        group.add_argument(
            parameter.option, dest=parameter.name, choices=choices, help=parameter.help
        )
    return parent


def _filtered_source(arguments: argparse.Namespace):
    """The data folder's events on the engine, the spec the command-line filters
    make (the same filters the dashboard reads from its URL), and one warning
    per refused value. The folder is read only when its store does not exist yet
    (:func:`imu_geo.engine.open.open_source`)."""
    source = open_source(Path(arguments.data) if arguments.data else None)
    params = link_params(arguments)
    spec, warnings = spec_from_query(
        params, source.default_spec, source.choices, source.store.units
    )
    return source, spec, warnings


def _selection_or_exit(arguments: argparse.Namespace):
    """The source and spec of a command that selects events, with each refused
    filter value warned about on standard error; or the exit code when the data
    folder or the engine cannot be opened."""
    try:
        source, spec, warnings = _filtered_source(arguments)
    except (DataError, EngineError, ValueError, ImportError) as error:
        return _open_failure(error)
    for warning in warnings:
        _write(f"imu-geo: {warning}", sys.stderr)
    return source, spec


def _open_failure(error: Exception) -> int:
    """One line for a data folder or an engine that cannot be opened."""
    if isinstance(error, DataError):
        _write(f"imu-geo: {error}", sys.stderr)
        return EXIT_PROBLEMS
    first = (str(error).strip().splitlines() or [""])[0]
    _write(f"imu-geo: the engine cannot run: {first}", sys.stderr)
    return EXIT_UNREADABLE


def command_export(arguments: argparse.Namespace) -> int:
    """Write the filtered events as CSV or GeoJSON, as the dashboard downloads them.

    The events are read from the engine and written a batch at a time, so an
    export of any size streams to the file (or standard output).
    """
    opened = _selection_or_exit(arguments)
    if isinstance(opened, int):
        return opened
    source, spec = opened
    if arguments.output in (None, "-"):
        write_selection(
            sys.stdout.buffer, source, spec, arguments.format, arguments.source_columns
        )
        sys.stdout.flush()
        return EXIT_OK

    def write(out: BinaryIO) -> str:
        written = write_selection(
            out, source, spec, arguments.format, arguments.source_columns
        )
        return f"{written} events written to {arguments.output}"

    return _to_file(arguments.output, write)


def _to_file(output: str, write: Callable[[BinaryIO], str]) -> int:
    """Write a command's output file with ``write``, which returns the line to
    say on standard error; or say why the file cannot be written."""
    try:
        with Path(output).open("wb") as out:
            done = write(out)
    except OSError as error:
        _write(f"imu-geo: cannot write {output}: {error}", sys.stderr)
        return EXIT_UNREADABLE
    _write(done, sys.stderr)
    return EXIT_OK


def command_summary(arguments: argparse.Namespace) -> int:
    """Print the region table of one level for the filtered events, as the
    dashboard's Regions page shows it (text) or downloads it (CSV): the
    engine counts the events per row of the table."""
    opened = _selection_or_exit(arguments)
    if isinstance(opened, int):
        return opened
    source, spec = opened
    store = source.store
    table = summary_table(
        source.region_groups(spec, arguments.by),
        store.places,
        store.regions,
        arguments.by,
    )
    if arguments.format == "csv":
        sys.stdout.buffer.write(table_csv_bytes(table))
        sys.stdout.flush()
    else:
        _write(format_text_table(table, arguments.by))
    return EXIT_OK


def _frame_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"a size is WIDTHxHEIGHT, e.g. 1024x640 (not {text})"
        ) from error
    return width, height


def command_render(arguments: argparse.Namespace) -> int:
    """Draw the map (PNG, SVG) or the playback (GIF, MP4) as the dashboard's
    downloads do for the same view: the same URL parameters, the same bytes."""
    directory = Path(arguments.data) if arguments.data else default_data_dir()
    opened = _selection_or_exit(arguments)
    if isinstance(opened, int):
        return opened
    source, spec = opened
    fmt = arguments.format or Path(arguments.output).suffix.lstrip(".").lower()
    if fmt not in (*RENDER_FORMATS,):
        _write(
            "imu-geo: choose --format png, svg, gif or mp4 "
            f"(the file name says “{fmt or 'nothing'}”)",
            sys.stderr,
        )
        return EXIT_UNREADABLE
    bundled = directory.resolve() == BUNDLED_DATA_DIR.resolve()
    words = picture_text("atlas") if bundled else picture_text("folder", directory.name)
    options = MapOptions(relocation=not arguments.no_arcs, halos=not arguments.no_halos)
    store = source.store
    basemap = store_basemap(store.regions, store.places, store.bounds)
    # The rows as the Map page's downloads read them, through the engine.
    rows = source.select(spec)
    if fmt in ("png", "svg"):
        selected = selection_picture_events(rows)
        payload = picture_bytes(selected, spec, basemap, words, fmt, options)
        what = f"{len(selected):,} events"
    else:

        def progress(done: int, total: int) -> None:
            if done == total or done % 10 == 0:
                _write(f"imu-geo: frame {done} of {total}", sys.stderr)

        selected = rows.frame(RENDER_COLUMNS).drop(columns="row_id")
        try:
            payload = animation.animation_bytes(
                selected,
                spec,
                basemap,
                words,
                arguments.step,
                arguments.fps,
                fmt,
                options,
                arguments.size,
                progress=progress,
            )
        except ValueError as error:
            _write(f"imu-geo: {error}", sys.stderr)
            return EXIT_PROBLEMS
        frames = len(animation.frame_specs(spec, arguments.step))
        what = f"{frames} frames"

    def write(out: BinaryIO) -> str:
        out.write(payload)
        return f"{what} drawn to {arguments.output} ({len(payload):,} bytes)"

    return _to_file(arguments.output, write)


def command_import(arguments: argparse.Namespace) -> int:
    """Import an ACLED, UCDP GED, GTD or native file into a data directory.

    The summary line always goes to standard output, then the notes on the file
    and the repairs and rejections by kind of reason; ``--report FILE`` writes the
    full report. A file that cannot be read at all gets one line on standard
    error. Exit code 0 when every row was accepted or repaired, 1 when some were
    rejected, 2 when the file cannot be read or the output cannot be written.
    """
    path = Path(arguments.file)
    limits = Limits().with_max_bytes(arguments.max_size)
    progress = _progress()
    try:
        payload = read_file(path, limits)
        if progress is not None:
            progress(f"Reading {path.name}…")
        raw = read_table(path.name, payload, limits)
        # The bytes are a table now; a large file's are not kept for the import.
        del payload
        result = import_raw(
            path.name, raw, arguments.format, arguments.date_order, progress
        )
    except ImportFailure as failure:
        _write(str(failure), sys.stderr)
        return EXIT_UNREADABLE
    del raw
    try:
        written = write_import(
            result, Path(arguments.output), store=True, progress=progress
        )
        lines = command_lines(result, list(written))
        if arguments.report:
            report = Path(arguments.report)
            report.write_text(report_text(result, list(written)), encoding="utf-8")
    except OSError as error:
        _write(f"imu-geo: cannot write: {error.strerror or error}", sys.stderr)
        return EXIT_UNREADABLE
    except Exception as error:  # a reason, never a traceback
        first = (str(error).strip().splitlines() or [""])[0]
        _write(
            f"imu-geo: the import could not be written ({type(error).__name__}: "
            f"{first})",
            sys.stderr,
        )
        return EXIT_UNREADABLE
    for line in lines:
        _write(line)
    return EXIT_PROBLEMS if result.n_rejected else EXIT_OK


def _byte_size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def command_basemap(arguments: argparse.Namespace) -> int:
    """Write the static basemap files from the regions of a data directory."""
    directory = Path(arguments.data) if arguments.data else BUNDLED_DATA_DIR
    try:
        regions = gpd.read_file(directory / REGIONS_FILE)
    except Exception as error:  # noqa: BLE001 - any reader failure is one message
        _write(f"imu-geo: cannot read {directory / REGIONS_FILE}: {error}", sys.stderr)
        return EXIT_UNREADABLE
    out = Path(arguments.out) if arguments.out else STATIC_DIR
    out.mkdir(parents=True, exist_ok=True)
    for name, payload in basemap_files(regions).items():
        (out / name).write_bytes(payload)
        _write(f"wrote {out / name} ({len(payload):,} bytes)")
    return EXIT_OK


def command_run(arguments: argparse.Namespace) -> int:
    """Start the dashboard with ``streamlit run`` on the chosen data directory."""
    environment = dict(os.environ)
    if arguments.data:
        data = Path(arguments.data).resolve()
        try:
            # Checked and written to its store once; a folder whose store
            # exists was valid and is not read again.
            open_folder(data)
        except DataError:
            report = validate_directory(data)
            for problem in report.problems[:20]:
                _write(str(problem), sys.stderr)
            _write(f"imu-geo: {report.summary()}", sys.stderr)
            return EXIT_PROBLEMS
        environment[DATA_ENV_VAR] = str(data)
    command = streamlit_command(
        PROJECT_DIR / "app.py", arguments.port, arguments.address, headless=False
    )
    return subprocess.call(command, cwd=PROJECT_DIR, env=environment)


def streamlit_command(
    script: Path, port: int, address: str = "127.0.0.1", headless: bool = True
) -> list[str]:
    """The ``streamlit run`` command line for ``script`` on ``address:port``.

    It runs Streamlit through :mod:`imu_geo.server`, which first removes what
    stopped servers left behind. Headless (the default) is for servers nobody
    opens a browser on by hand: tests, benchmarks, ``make serve``; it also turns
    the file watcher off.
    """
    command = [
        sys.executable,
        "-m",
        "imu_geo.server",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--browser.gatherUsageStats",
        "false",
    ]
    if headless:
        command += ["--server.headless", "true", "--server.fileWatcherType", "none"]
    return command


EXIT_EPILOG = f"""\
exit codes:
  {EXIT_OK}  done
  {EXIT_PROBLEMS}  the data has problems: validate found some, import refused rows, a
     data folder cannot be loaded, or render's caps refuse the animation
  {EXIT_UNREADABLE}  an input cannot be read or an output written, the engine cannot
     run, or an option is wrong
"""

SETTINGS_EPILOG = f"""\
settings (environment variables), for the dashboard and every command alike:
  {DATA_ENV_VAR}          data folder used when --data is not given
                        (default: the bundled atlas)
  {ENGINE_ENV_VAR}        the query engine that export and summary (and the
                        dashboard's pages) run on: duckdb (default, in-process)
                        or spark
  {REMOTE_ENV_VAR}  with spark: a Spark Connect or master URL
                        (default: local mode)
  {STORE_ENV_VAR}         where each data folder is kept as Parquet once it has
                        been read (default: build/store in the project)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imu-geo",
        description="A geospatial atlas of the Islamic Movement of Uzbekistan.",
        epilog=SETTINGS_EPILOG + "\n" + EXIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version}")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate", help="check a data directory and report every problem"
    )
    validate.add_argument(
        "directory", nargs="?", help="data directory (default: the bundled data)"
    )
    validate.add_argument(
        "--source",
        help="the source text; every source_quote must occur in it verbatim",
    )
    validate.set_defaults(handler=command_validate)

    filters = filter_options()
    export = commands.add_parser(
        "export",
        parents=[filters],
        help="write the filtered events as the dashboard's download does",
    )
    export.add_argument("--format", choices=["csv", "geojson"], default="csv")
    export.add_argument(
        "--source-columns",
        action="store_true",
        help="CSV: add the imported file's own columns kept verbatim, each named "
        "source:<name> (the dashboard's \"Include the file's own columns\")",
    )
    export.add_argument("-o", "--output", help="file to write (default: stdout)")

    summary = commands.add_parser(
        "summary",
        parents=[filters],
        help="print the region table (per country, admin-1 unit or the valley) "
        "as the Regions page shows it",
    )
    summary.add_argument("--by", choices=list(SUMMARY_LEVELS), default="country")
    summary.add_argument(
        "--format",
        choices=["table", "csv"],
        default="table",
        help="a text table (default) or CSV as the page's download",
    )

    render = commands.add_parser(
        "render",
        parents=[filters],
        help="draw the map (PNG, SVG) or the playback (GIF, MP4) as the "
        "dashboard's downloads do",
    )
    render.add_argument(
        "--format",
        choices=list(RENDER_FORMATS),
        help="default: from the output file's extension",
    )
    render.add_argument(
        "--step",
        type=int,
        choices=list(animation.STEPS),
        default=3,
        help="months per frame of an animation (default: 3)",
    )
    render.add_argument(
        "--fps",
        type=int,
        default=animation.DEFAULT_FPS,
        help=f"frames a second of an animation (default: {animation.DEFAULT_FPS})",
    )
    render.add_argument(
        "--size",
        type=_frame_size,
        default=animation.DEFAULT_SIZE,
        help="frame size of an animation: "
        + " or ".join(f"{w}x{h}" for w, h in animation.SIZES.values())
        + " (default: {}x{})".format(*animation.DEFAULT_SIZE),
    )
    render.add_argument("--no-arcs", action="store_true", help="no relocation arcs")
    render.add_argument("--no-halos", action="store_true", help="no place halos")
    render.add_argument("-o", "--output", required=True, help="file to write")
    for command, handler in (
        (export, command_export),
        (summary, command_summary),
        (render, command_render),
    ):
        command.add_argument(
            "--data", help="data directory (default: the bundled data)"
        )
        command.set_defaults(handler=handler)

    importer = commands.add_parser(
        "import",
        help="read an ACLED, UCDP GED, GTD or native file into a data directory",
    )
    importer.add_argument(
        "file",
        help="CSV, TSV, TXT, GeoJSON, JSON, Parquet or Excel (.xlsx) file, or a .zip "
        "or .gz holding one",
    )
    importer.add_argument(
        "--format", choices=["auto", *FORMATS], default="auto", help="default: auto"
    )
    importer.add_argument(
        "-o", "--output", required=True, help="folder for events.csv and the rest"
    )
    importer.add_argument(
        "--max-size",
        type=_byte_size,
        default=Limits().max_bytes,
        help="largest file accepted, unpacked, e.g. 600MB (default: 200MB); the "
        "memory an import may take grows with it",
    )
    importer.add_argument(
        "--report", help="write the full report (every reason, every row) here"
    )
    importer.add_argument(
        "--date-order",
        choices=DATE_ORDERS,
        default="auto",
        help="day and month order of dates such as 03/04/2001: dmy, mdy or ymd "
        "(default: auto, decided from each date column, which is refused when "
        "every value reads both ways)",
    )
    importer.set_defaults(handler=command_import)

    basemap = commands.add_parser(
        "basemap", help="rebuild the static basemap files from regions.geojson"
    )
    basemap.add_argument("--data", help="data directory (default: the bundled data)")
    basemap.add_argument("--out", help="folder to write (default: static/)")
    basemap.set_defaults(handler=command_basemap)

    run = commands.add_parser("run", help="start the dashboard")
    run.add_argument("--data", help="data directory (default: the bundled data)")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--address", default="localhost")
    run.set_defaults(handler=command_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``imu-geo`` console script."""
    arguments = build_parser().parse_args(argv)
    return arguments.handler(arguments)


if __name__ == "__main__":
    sys.exit(main())
