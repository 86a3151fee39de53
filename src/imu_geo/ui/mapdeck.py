"""The map at any size: events inline in the deck, point files filtered by date
in the browser, or density cells counted by the engine; and its clickable units."""

from __future__ import annotations

import atexit
import threading
from collections import OrderedDict
from dataclasses import replace

import pandas as pd
import pydeck as pdk
import streamlit as st

from imu_geo import world
from imu_geo.density import (
    bound_cells,
    build_density_deck,
    cells_layer,
    density_cell_deg,
    density_legend_svg,
    density_notice,
    density_switch_notice,
)
from imu_geo.engine.source import EventSource, Selection
from imu_geo.filters import FilterSpec
from imu_geo.layers import (
    ATLAS_BASEMAP,
    DECK_COLUMNS,
    DETAIL_LIMIT,
    HALO_PRECISIONS,
    LAYER_IDS,
    SLICE_LAYER_ORDER,
    WORLD_BASEMAP,
    as_tooltip,
    build_deck,
    build_sliced_deck,
    compact_json,
    dataset_labels,
    detail_layers,
    fit_view,
    labels_bytes,
    large_colour_codes,
    large_event_radii,
    large_fill_colours,
    large_line_widths,
    large_radii,
    map_legend_svg,
    region_pick_layer,
    units_geojson_bytes,
)
from imu_geo.pointfiles import (
    INLINE_LIMIT,
    POINT_BUDGET,
    POINTS_ROOT,
    PointFileTooLarge,
    PointSlice,
    PointStore,
    epoch_days,
    hold_folder,
    point_file_bytes,
    point_records,
    process_folder_name,
    remove_stale_folders,
    sliced_point_files,
    start_sweeper,
)
from imu_geo.text import from_deck_text
from imu_geo.ui.loading import LoadedData, dataset_tag, map_view
from imu_geo.ui.regions import REGION_PICK_LAYER, pick_layer_id
from imu_geo.ui.reporting import log, log_error
from imu_geo.ui.state import _facet_key, map_options

POINTS_URL = "app/static/points"


# The Map page's map as a 1,400-pixel-wide window draws it (3/4 of the page
# beside the sidebar), 600 pixels high.
MAP_SIZE = (640, 600)


def _map_frame(data: LoadedData) -> tuple[dict, str]:
    return map_view(data, *MAP_SIZE), data.basemap


def framed_on_extent(data: LoadedData) -> bool:
    """Whether the Map page opens on the dataset's own extent (not the atlas's
    view, chosen for the story's region, which a phone's map already shows)."""
    return data.basemap != ATLAS_BASEMAP


def fit_to_size(deck, data: LoadedData, size: tuple[float, float]) -> None:
    """Frame the Map page's ``deck`` of a dataset :func:`framed_on_extent` for a
    map of ``size`` (as the browser measured it, :mod:`imu_geo.ui.viewport`):
    the extent, framed for :data:`MAP_SIZE`, is zoomed out in a smaller map (a
    phone) so that it shows whole. In a map as large or larger the view stays
    as it was, so a desktop's map keeps the view it opened with."""
    view = fit_view(map_view(data, *MAP_SIZE), MAP_SIZE, size)
    deck.initial_view_state = pdk.ViewState(**view)


def opening_view(deck) -> dict[str, float]:
    """Where ``deck`` opens: its initial centre and zoom."""
    start = deck.initial_view_state
    return {
        "longitude": float(start.longitude),
        "latitude": float(start.latitude),
        "zoom": float(start.zoom),
    }


def open_on(deck, view: dict[str, float]) -> None:
    """Open the Map page's ``deck`` on ``view`` (the reader's, kept from an
    earlier visit: :mod:`imu_geo.ui.mapview`), within the zoom range it has."""
    opening = {k: v for k, v in vars(deck.initial_view_state).items() if v is not None}
    deck.initial_view_state = pdk.ViewState(**(opening | view))


FALLBACK_POINTS = 5_000


@st.cache_resource
def point_store() -> PointStore:
    """The folder of map point files of this server process.

    Each process has its own folder under ``static/points`` (two servers on one
    checkout must not delete each other's files), holding a lock on it while it
    runs; folders nobody holds are removed, and this one is removed at exit.
    The frame creates it on the first run, which starts its sweeper: idle files
    are deleted on a timer, whatever else happens.
    """
    root = POINTS_ROOT
    try:
        removed = remove_stale_folders(root)
        if removed:
            log.info("removed %d point folder(s) of stopped servers", removed)
    except OSError:
        log.exception("the point folder %s cannot be tidied", root)
    name = process_folder_name()
    store = PointStore(root / name, f"{POINTS_URL}/{name}")
    try:
        store.holder = hold_folder(store.folder)  # kept open while the server runs
    except OSError:
        log.exception("the point folder %s cannot be created", store.folder)
    atexit.register(store.remove_folder)
    store.sweeper = start_sweeper(store, root)
    return store


@st.cache_resource(max_entries=64)
def _facet_counts(key: tuple, facets: tuple, _source: EventSource, _spec: FilterSpec):
    # Keyed by the dataset's key and the filters but time, not the window.
    del key, facets
    return _source.layer_counts(_source.whole(_spec))


def facet_counts(data: LoadedData, spec: FilterSpec) -> dict[str, int]:
    """How many events of each layer pass every filter but time: asked once per
    dataset and filters, not at every step of the window."""
    facets = (_facet_key(spec), tuple(spec.layers))
    return _facet_counts(data.key, facets, data.source, spec)


def facet_count(data: LoadedData, spec: FilterSpec) -> int:
    """How many events pass every filter but time."""
    return sum(facet_counts(data, spec).values())


def over_point_budget(data: LoadedData, spec: FilterSpec) -> bool:
    """Whether more events pass the filters than the map can hold as points in
    the browser (:data:`imu_geo.pointfiles.POINT_BUDGET`)."""
    return facet_count(data, spec) > POINT_BUDGET


@st.cache_resource(max_entries=16)
def _density_grid(key: tuple, facets: tuple, _source: EventSource, _spec):
    """The cell size and the busiest cell over all of time, for the events
    passing the filters: the grid and colours stay the same while the window
    moves, so steps compare."""
    del key, facets  # only the cache key
    cell = density_cell_deg(_source.store.bounds)
    cells, drawn = bound_cells(_source.density(_source.whole(_spec), cell), cell)
    return drawn, int(cells["events"].max()) if len(cells) else 0


def density_grid(data: LoadedData, spec: FilterSpec) -> tuple[float, int]:
    facets = (_facet_key(spec), tuple(spec.layers))
    return _density_grid(data.key, facets, data.source, spec)


def density_deck(data: LoadedData, spec: FilterSpec, rows: Selection, candidates: int):
    """The map as grid cells counted by the engine at each step, with the few
    features drawn at any size (:func:`map_details`), and its notice."""
    cell, top = density_grid(data, spec)
    cells, drawn = bound_cells(data.source.density(spec, cell), cell)
    deck = build_density_deck(cells, drawn, *_map_frame(data), scale_max=top)
    details, left_out = map_details(data, spec, rows, tooltip_key="t")
    deck.layers.extend(details)
    return deck, density_notice(candidates, drawn, POINT_BUDGET) + left_out


DENSITY_KEY = "map_density"
# The reader's choice, under a key no widget has: Streamlit forgets a widget's
# value on a page that does not draw it, and the choice must outlive a visit
# to another page.
DENSITY_CHOICE_KEY = "map_density_choice"


def density_switched_on() -> bool:
    """Whether the reader switched the density on (:func:`density_switch`)."""
    return bool(st.session_state.get(DENSITY_CHOICE_KEY, False))


def _keep_density_choice() -> None:
    st.session_state[DENSITY_CHOICE_KEY] = bool(st.session_state[DENSITY_KEY])


def density_switch(data: LoadedData, spec: FilterSpec) -> None:
    """The switch between one dot per event and events per cell, offered where
    the events are drawn from point files (above :data:`INLINE_LIMIT`, up to
    :data:`POINT_BUDGET`); above the budget the cells are the only map."""
    if INLINE_LIMIT < facet_count(data, spec) <= POINT_BUDGET:
        if DENSITY_KEY not in st.session_state:
            st.session_state[DENSITY_KEY] = density_switched_on()
        st.toggle(
            "Density per grid cell",
            key=DENSITY_KEY,
            on_change=_keep_density_choice,
            help="Count the window's events per grid cell instead of drawing "
            "one dot each. Bases, their arcs and halos stay.",
        )


def map_legend(data: LoadedData, spec: FilterSpec) -> str:
    """The legend of the map :func:`map_deck` draws, as SVG."""
    count = facet_count(data, spec)
    cells = count > POINT_BUDGET or (count > INLINE_LIMIT and density_switched_on())
    if not cells:
        return map_legend_svg()
    return density_legend_svg(*density_grid(data, spec))


def map_details(
    data: LoadedData, spec: FilterSpec, rows: Selection, tooltip_key: str = "n"
) -> tuple[list, str]:
    """The few features a map draws at any size, for the window: its bases with
    their areas and relocation arcs, and one halo per vaguely known place, read
    from the engine (not every row); and a sentence naming any kind left out
    because the window holds more than :data:`DETAIL_LIMIT` of them (or "")."""
    options = map_options()
    left_out = []
    bases = None
    n_bases = rows.counts.get("base", 0)
    if "base" in spec.layers:
        if n_bases <= DETAIL_LIMIT:
            bases = data.source.rows(
                replace(spec, layers=("base",)), DECK_COLUMNS
            ).drop(columns="row_id")
        else:
            left_out.append(
                f" The window holds {n_bases:,} bases, more than the "
                f"{DETAIL_LIMIT:,} drawn with their areas and relocation arcs: "
                "they are dots."
            )
    halos = None
    if options.halos:
        # Counting first: with its own point per event, grouping a window's
        # events into places costs more than the rest of the first page.
        places = data.source.place_count(spec, HALO_PRECISIONS, DETAIL_LIMIT + 1)
        if places <= DETAIL_LIMIT:
            halos = data.source.place_halos(spec, HALO_PRECISIONS, DETAIL_LIMIT)
        else:
            left_out.append(
                f" The window's events lie at more than {DETAIL_LIMIT:,} roughly "
                "known places, so their halos are left out."
            )
    layers = _detail_layers_within(bases, halos, data.display_geometry, options)
    if bases is not None and layers is None:
        # Base areas are polygons: a few dozen of them can outweigh the rest
        # of the step. The bases are then dots from their file.
        layers = detail_layers(None, halos, data.display_geometry, options)
        left_out.append(
            f" The window's {n_bases:,} bases with their areas and relocation "
            "arcs would make every step of the map too large to send: they are "
            "dots."
        )
    if halos is not None and _json_bytes(layers) > DETAIL_BYTES:
        layers = detail_layers(None, None, data.display_geometry, options)
        left_out.append(
            f" The window's events lie at {len(halos):,} roughly known places, "
            "too many halos to send at every step, so they are left out."
        )
    for layer in layers:
        as_tooltip(layer, tooltip_key)
    words = "".join(left_out)
    return layers, words


def _detail_layers_within(bases, halos, display_geometry, options) -> list | None:
    """:func:`detail_layers` of ``bases`` and ``halos``, or None when their JSON
    passes :data:`DETAIL_BYTES`. The arcs only add to the bases' bytes, so when
    the bases' areas alone pass it the arcs (the costly part, hundreds of bases
    in a window) are not drawn only to be left out."""
    if bases is not None and options.relocation:
        without_arcs = replace(options, relocation=False)
        if (
            _json_bytes(detail_layers(bases, halos, display_geometry, without_arcs))
            > DETAIL_BYTES
        ):
            return None
    layers = detail_layers(bases, halos, display_geometry, options)
    if bases is not None and _json_bytes(layers) > DETAIL_BYTES:
        return None
    return layers


# The inline features of a large map (bases with their areas and arcs, halos)
# travel in the deck at every step; beyond this many bytes of JSON they are
# left out (bases first), so that a step sends at most about 100 kB with the
# rest of the page (benchmarks/engine.py --browser).
DETAIL_BYTES = 24_000


def _json_bytes(layers: list) -> int:
    """The size of ``layers`` as the deck's compact JSON carries them."""
    return sum(len(compact_json(layer)) for layer in layers)


# What a map point file is made of (see :func:`imu_geo.pointfiles.point_records`).
POINT_COLUMNS: tuple[str, ...] = (
    "date_start",
    "date_end",
    "date_precision",
    "layer",
    "event_type",
    "fatalities_best",
    "title",
    "lat",
    "lon",
)


def _point_file(data: LoadedData, spec: FilterSpec, layer: str) -> bytes:
    """The point file of one layer: every event of the layer passing the
    filters but time, read from the engine."""
    part = data.source.rows(replace(spec, layers=(layer,)), POINT_COLUMNS, time=False)
    return point_file_bytes(
        point_records(
            part,
            part["row_id"].to_numpy(),
            large_colour_codes(part, layer).to_numpy(),
            large_radii(part, layer).to_numpy(),
        )
    )


def _slice_payloads(
    data: LoadedData, spec: FilterSpec
) -> tuple[list[PointSlice], list[bytes]]:
    """The large map's points cut into time slices, and their files: every
    event of ``spec``'s layers (the attacks and context; bases have a file of
    their own) passing the filters but time, read from the engine once, drawn
    in the order of :data:`SLICE_LAYER_ORDER`, each layer in date order."""
    part = data.source.rows(spec, POINT_COLUMNS, time=False)
    order = {name: k for k, name in enumerate(SLICE_LAYER_ORDER)}
    part = part.sort_values("layer", key=lambda c: c.map(order), kind="stable")
    return sliced_point_files(
        part,
        part["row_id"].to_numpy(),
        large_fill_colours(part),
        large_event_radii(part),
        large_line_widths(part),
    )


class _Plans:
    """The slices of recent (dataset, filters): small, kept by the process so
    that a step knows them without reading the events again."""

    def __init__(self, size: int = 64):
        self._plans: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: tuple):
        with self._lock:
            if key in self._plans:
                self._plans.move_to_end(key)
            return self._plans.get(key)

    def put(self, key: tuple, plan: list) -> None:
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > self._size:
                self._plans.popitem(last=False)


_PLANS = _Plans()


def slice_files(
    data: LoadedData, spec: FilterSpec, layers: tuple[str, ...]
) -> list[tuple[PointSlice, str]]:
    """Each time slice of the large map's events of ``layers`` with its file's
    URL, the files written when missing (the first time, or after the sweeper
    removed them)."""
    store = point_store()
    spec = replace(spec, layers=layers)
    base = (data.key, _facet_key(spec), tuple(spec.layers))
    built: list = []

    def payloads() -> tuple[list[PointSlice], list[bytes]]:
        if not built:
            built.append(_slice_payloads(data, spec))
        return built[0]

    def files(plan: list[PointSlice]) -> list[tuple[PointSlice, str]]:
        return [
            (
                piece,
                store.ensure(
                    (*base, "slice", piece.number),
                    lambda n=n: payloads()[1][n],
                    group=repr(data.key),
                ),
            )
            for n, piece in enumerate(plan)
        ]

    plan = _PLANS.get(base)
    if plan is not None and all(
        store.has((*base, "slice", piece.number)) for piece in plan
    ):
        return files(plan)
    with st.spinner("Preparing the map's points…"):
        plan = payloads()[0]
        _PLANS.put(base, plan)
        return files(plan)


def map_deck(data: LoadedData, spec: FilterSpec, rows: Selection):
    """The deck for the selected events, and a notice to show with it (or ""):
    :func:`_events_deck`, labelled with the dataset's labels."""
    deck, notice = _events_deck(data, spec, rows)
    use_dataset_labels(deck, data)
    return deck, notice


def _events_deck(data: LoadedData, spec: FilterSpec, rows: Selection):
    """The deck for the selected events, and a notice to show with it (or "").

    Up to :data:`INLINE_LIMIT` events (after the non-time filters) the events are
    in the deck itself, with every detail (areas, arcs, halos). Above it the
    points are written once to point files, one per time slice
    (:func:`slice_files`), and filtered by date in the browser, so a slider
    step sends only the new date range and which slices to draw; the few
    features (bases with their areas and arcs, place halos) still come inline,
    read from the engine for the window (:func:`map_details`), and the reader
    may switch to counts per grid cell (:func:`density_switch`). Above
    :data:`POINT_BUDGET` the map is the engine's grid cells with those features.
    """
    by_layer = facet_counts(data, spec)
    candidates = sum(by_layer.values())
    if candidates > POINT_BUDGET:
        return density_deck(data, spec, rows, candidates)
    if candidates <= INLINE_LIMIT:
        selected = rows.frame(DECK_COLUMNS).drop(columns="row_id")
        deck = build_deck(
            selected, data.display_geometry, map_options(), *_map_frame(data)
        )
        return deck, ""
    details, left_out = map_details(data, spec, rows)
    # Bases drawn with the details need no point file of their own; bases from
    # a file (too many to draw inline) keep a layer of their own, visible under
    # the density. The other events are cut into time slices.
    inline_bases = any(
        getattr(layer, "id", None) == LAYER_IDS["base_areas"] for layer in details
    )
    sliced = tuple(
        layer for layer in spec.layers if layer != "base" and by_layer.get(layer)
    )
    try:
        slices = slice_files(data, spec, sliced) if sliced else []
        bases_url = None
        if "base" in spec.layers and by_layer.get("base") and not inline_bases:
            key = (data.key, _facet_key(spec), "base")
            bases_url = point_store().ensure(
                key, lambda: _point_file(data, spec, "base"), group=repr(data.key)
            )
    except Exception as error:
        if isinstance(error, OSError | PointFileTooLarge):
            log.warning("map points served inline instead of from a file: %s", error)
            logged = ""
        else:
            reference = log_error(
                "the map's point file failed", "point_file_error", "point_files"
            )
            logged = f" The server's log has the details under reference {reference}."
        step = max(1, -(-len(rows) // FALLBACK_POINTS))
        selected = rows.frame(DECK_COLUMNS).iloc[::step].drop(columns="row_id")
        notice = (
            f"The map shows {len(selected):,} of the {len(rows):,} events in the "
            "window, evenly spread in time: the map's point file could not be "
            "prepared. The table and downloads hold all of them." + logged
        )
        deck = build_deck(
            selected.reset_index(drop=True),
            data.display_geometry,
            map_options(),
            *_map_frame(data),
        )
        return deck, notice
    days = epoch_days(pd.Series(pd.to_datetime([spec.start, spec.end])))
    density = None
    if density_switched_on():
        cell, top = density_grid(data, spec)
        cells, drawn = bound_cells(data.source.density(spec, cell), cell)
        density = cells_layer(cells, drawn, scale_max=top)
    deck = build_sliced_deck(
        slices,
        (int(days[0]), int(days[1])),
        spec.mode == "cumulative",
        *_map_frame(data),
        details=details,
        density=density,
        files={"base": bases_url} if bases_url else None,
    )
    if density is not None:
        return deck, density_switch_notice(drawn) + left_out
    notice = (
        f"{candidates:,} events pass the filters over the whole span, so the map "
        "draws each as a dot and filters them by date in your browser. As for "
        f"fewer events, up to {DETAIL_LIMIT:,} bases in the window are drawn with "
        "their areas and relocation arcs, and up to as many roughly known places "
        "with halos. Hollow dots still mark vague dates; each event's place "
        "precision is in the table and the details. Switch the density on to count "
        "the window's events per grid cell." + left_out
    )
    return deck, notice


VIEW_GENERATION_KEY = "map_view_generation"


def map_key(data: LoadedData) -> str:
    """The Map page's chart key: one per dataset (a selection made on one must
    not carry over to another) and per view generation (:func:`reset_view`).

    The browser keeps the reader's zoom and pan across reruns for as long as
    the chart keeps its key and its initial view, whichever layers it draws;
    a new key mounts a new chart at the dataset's initial view.
    """
    generation = int(st.session_state.get(VIEW_GENERATION_KEY, 0))
    return f"map-{dataset_tag(data)}-{generation}"


def reset_view() -> None:
    """Bring the map back to the dataset's initial view on the next run."""
    st.session_state[VIEW_GENERATION_KEY] = (
        int(st.session_state.get(VIEW_GENERATION_KEY, 0)) + 1
    )


def picked_event(data: LoadedData, picked) -> str:
    """The event id of a point clicked on the map, or "".

    An inline point carries its ``event_id``; a point from a point file carries
    its ``row_id`` in the store (``i``).
    """
    if not isinstance(picked, dict):
        return ""
    if picked.get("event_id"):
        return from_deck_text(str(picked["event_id"]))
    position = picked.get("i")
    if isinstance(position, int) and 0 <= position < data.n_events:
        return data.source.event_id_of(position)
    return ""


UNITS_FILE_GROUP = "units"


def _units_file(data: LoadedData) -> str:
    """The URL of the dataset's units as GeoJSON, written once per dataset."""
    return point_store().ensure(
        (data.key, UNITS_FILE_GROUP),
        lambda: units_geojson_bytes(data.regions),
        group=repr(data.key),
        suffix=".geojson",
    )


LABELS_FILE_GROUP = "labels"


def _labels_file(data: LoadedData) -> str:
    """The URL of the dataset's map labels (:func:`dataset_labels`), written
    once per dataset."""
    return point_store().ensure(
        (data.key, LABELS_FILE_GROUP),
        lambda: labels_bytes(dataset_labels(world.country_table(), data.regions)),
        group=repr(data.key),
    )


def use_dataset_labels(deck, data: LoadedData) -> None:
    """On the world basemap, label ``deck``'s map with the dataset's labels
    (every country, the dataset's own units) instead of every unit of the
    world. The world's file stays when this one cannot be written."""
    if data.basemap != WORLD_BASEMAP:
        return
    try:
        url = _labels_file(data)
    except (OSError, PointFileTooLarge) as error:
        log.warning("the map keeps the world's labels: %s", error)
        return
    for layer in deck.layers:
        if getattr(layer, "id", None) == LAYER_IDS["labels"]:
            layer.data = url


def add_region_picker(deck, data: LoadedData) -> None:
    """Make the units of ``deck``'s map clickable: a transparent layer of the
    dataset's units above the basemap's layers and below the events (which win
    a click),
    finest units on top, so a click picks the admin-1 unit under it (the
    country where there is none). Nothing is added when the file cannot be
    written; the map still works."""
    try:
        url = _units_file(data)
    except (OSError, PointFileTooLarge) as error:
        log.warning("the map's units cannot be clicked: %s", error)
        return
    layer = region_pick_layer(url, pick_layer_id(REGION_PICK_LAYER))
    # Right above the basemap's own layers (its fill, lines and labels).
    ids = [getattr(each, "id", None) for each in deck.layers]
    basemap = [LAYER_IDS[name] for name in ("basemap", "admin1_lines", "labels")]
    drawn = [n for n, layer_id in enumerate(ids) if layer_id in basemap]
    deck.layers.insert(max(drawn) + 1 if drawn else 0, layer)
