"""``pytest --pure-only``: keep the tests that run pure code in the test process.

Mutation testing (``make mutation``, docs/testing.md) changes the package in the
test process only, so a test that reaches the code through a subprocess, a server,
a browser or Spark's JVM cannot see a mutant, and a page test (Streamlit's AppTest)
runs the whole page for every mutant of every function it touches. Those tests
are deselected here, which leaves the table-driven and property-based tests of
the pure modules. A test is deselected when it is marked ``browser``, runs on the
Spark engine, or when it, a fixture it uses, or a helper of its module names one
of ``DRIVERS`` (directly or through other helpers of the same module).

While mutmut runs a mutant (``MUTANT_UNDER_TEST`` names it), only the tests of
the mutated module are kept: the test files named after it (``test_filters.py``,
``test_filters_properties.py`` and ``test_region_filter.py`` for
``imu_geo.filters``) and those :data:`MODULE_TESTS` adds, but for those
:data:`NOT_MODULE_TESTS` leaves out. mutmut already runs only
the tests that reach the mutated function; this keeps a mutant of
``filters.month_end`` from running every test of every module that calls it. A
module with no test file of its own keeps every test that reaches it. mutmut's
check that the tests pass unmutated is cut the same way when
``IMU_GEO_MUTATION_MODULE`` names the module being run.

Property-based tests draw the same examples on every run (hypothesis'
``derandomize``, no example database), so a mutant's verdict can be repeated.
They stop at the first example that fails: hypothesis' shrink and explain
phases, which look for a smaller failing example and say which part of it
matters, are left out. They change nothing in the verdict (the test has failed
already) and can take many times as long as the failure itself
(benchmarks/mutation_phases.py measures it).
"""

from __future__ import annotations

import functools
import inspect
import os
import types
from collections.abc import Iterable

import pytest
from hypothesis import Phase, settings

# Names whose use means the code under test runs outside this process or in a page.
DRIVERS = frozenset(
    {
        "AppTest",
        "SparkEngine",
        "serve",
        "spark_engine",
        "start_server",
        "streamlit_command",
        "streamlit_server",
        "subprocess",
    }
)
OPTION = "--pure-only"
# Set by scripts/mutation_report.py to the module (``imu_geo.filters``) it runs.
MODULE_ENV = "IMU_GEO_MUTATION_MODULE"

# The phases of a property-based test that decide whether it passes: the
# examples written in the test, then the generated ones (no database to reuse).
VERDICT_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target)

# The picture's modules (imu_geo.render.*) are tested together, through the
# picture and its parts, and through the command that writes it.
_RENDER_TESTS = (
    "test_render.py",
    "test_render_parts.py",
    "test_render_cli.py",
    "test_animation.py",
)
# The store's modules are tested together, through the stores they write.
_STORE_TESTS = (
    "test_store_batches.py",
    "test_import_store.py",
    "test_store_sweep.py",
    "test_source_columns_store.py",
    "test_engine_queries.py",
    "test_cli_engine.py",
)
# Test files of a module that are not named after it.
MODULE_TESTS: dict[str, tuple[str, ...]] = {
    "imu_geo.text": ("test_security.py", "test_density.py", "test_world.py"),
    "imu_geo.views": ("test_security.py", "test_event_points.py"),
    "imu_geo.engine.queries": ("test_engine_parity.py", "test_scale.py"),
    "imu_geo.engine.source": ("test_engine_queries.py", "test_engine_parity.py"),
    "imu_geo.engine.base": ("test_engine_portability.py",),
    "imu_geo.engine.duckdb": (
        "test_engine_fork.py",
        "test_engine_queries.py",
        "test_engine_portability.py",
    ),
    **{
        f"imu_geo.store.{name}": _STORE_TESTS
        for name in ("__init__", "keys", "table", "stores", "writing", "folders")
    },
    "imu_geo.layers.basemap": (
        "test_layers.py",
        "test_world_maps.py",
        "test_data.py",
        "test_large_map.py",
        "test_security.py",
        "test_region_filter.py",
        "test_pointfiles.py",
        "test_density.py",
        "test_summaries.py",
        "test_render.py",
    ),
    "imu_geo.layers.events": (
        "test_layers.py",
        "test_security.py",
        "test_large_map.py",
        "test_world_maps.py",
    ),
    "imu_geo.layers.large": ("test_pointfiles.py", "test_scale.py"),
    "imu_geo.method": ("test_sources_page.py",),
    # Which rows repeat, tested alone beside the whole import's tests.
    "imu_geo.importers.core": ("test_import_duplicates.py",),
    # The reader's parts in test_spreadsheet.py, the whole reader in these.
    "imu_geo.importers.spreadsheet": ("test_xlsx.py", "test_workbook.py"),
    "imu_geo.summaries.maps": ("test_summaries.py", "test_security.py"),
    "imu_geo.summaries.table": ("test_summaries.py", "test_event_points.py"),
    "imu_geo.summaries.text": ("test_summaries.py", "test_cli_engine.py"),
    # The timeline's parts are tested together, through the chart and its data.
    **{
        f"imu_geo.timeline.{name}": ("test_timeline.py", "test_pointfiles.py")
        for name in ("eras", "bars", "chart")
    },
    **{
        f"imu_geo.render.{name}": _RENDER_TESTS
        for name in (
            "style",
            "words",
            "basemap",
            "figure",
            "legend",
            "events",
            "pictures",
        )
    },
    **{
        f"imu_geo.world.{name}": (
            "test_world.py",
            "test_world_maps.py",
            "test_import_world.py",
        )
        for name in ("__init__", "files", "points", "borders", "placenames", "regions")
    },
}
# The tests of every importer module: they read files of every layout.
IMPORTER_TESTS = frozenset(
    {
        "test_importers.py",
        "test_layouts.py",
        "test_layouts_hypothesis.py",
        "test_import_world.py",
        "test_upload_errors.py",
        "test_reading_limits.py",
        "test_reading_fuzz.py",
        "test_source_columns.py",
        "test_source_types.py",
    }
)
# Test files taken for a module (named after it, or an importer's) that its
# mutants do not run.
NOT_MODULE_TESTS: dict[str, tuple[str, ...]] = {
    # Named after the importers' table reader, not the store's table.
    "imu_geo.store.table": ("test_reading_table.py",),
    # Named after the importers' writing of a data folder, not the store's.
    "imu_geo.store.writing": ("test_import_writing.py",),
    # Named after the store's writing, not the importers'.
    "imu_geo.importers.writing": ("test_store_writing.py",),
    # Delimited text is read piece by piece in test_delimited.py and held to the
    # limits in test_reading_limits.py. The importers' other tests reach it only
    # through whole imports of every layout, or draw hundreds of files of every
    # format (test_layouts_hypothesis.py, test_reading_fuzz.py): a minute or more
    # for each mutant of its parser.
    "imu_geo.importers.reading.delimited": tuple(
        sorted(IMPORTER_TESTS - {"test_reading_limits.py"})
    ),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        action="store_true",
        default=False,
        help="run only tests of pure code in this process (for mutation testing)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption(OPTION):
        settings.register_profile(
            "pure-only", derandomize=True, database=None, phases=VERDICT_PHASES
        )
        settings.load_profile("pure-only")


def _names(code: types.CodeType) -> set[str]:
    """Every global or attribute name a function's code (and its inner code) uses."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names(constant)
    return names


def _code(value: object) -> types.CodeType | None:
    if hasattr(value, "_get_wrapped_function"):  # a pytest fixture definition
        value = value._get_wrapped_function()
    if isinstance(value, functools.partial):  # a helper bound to its arguments
        value = value.func
    try:
        value = inspect.unwrap(value)
    except (TypeError, ValueError):
        return None
    return getattr(value, "__code__", None)


def _drivers_of(module: types.ModuleType, cache: dict[str, set[str]]) -> set[str]:
    """DRIVERS plus the module's functions that use one, however indirectly."""
    if module.__name__ in cache:
        return cache[module.__name__]
    uses = {}
    for name, value in vars(module).items():
        code = _code(value)
        if code is not None:
            uses[name] = _names(code)
    drivers = set(DRIVERS)
    grown = True
    while grown:
        grown = False
        for name, names in uses.items():
            if name not in drivers and names & drivers:
                drivers.add(name)
                grown = True
    cache[module.__name__] = drivers
    return drivers


def _is_pure(item: pytest.Item, cache: dict[str, set[str]]) -> bool:
    if item.get_closest_marker("browser") is not None:
        return False
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("engine") == "spark":
        return False
    module = getattr(item, "module", None)
    function = getattr(item, "function", None)
    if module is None or function is None:
        return False
    drivers = _drivers_of(module, cache)
    codes: Iterable[types.CodeType | None] = [_code(function)]
    info = getattr(item, "_fixtureinfo", None)
    if info is not None:
        if drivers & set(info.names_closure):
            return False
        codes = [
            *codes,
            *(
                _code(definition.func)
                for definitions in info.name2fixturedefs.values()
                for definition in definitions
            ),
        ]
    return not any(code is not None and _names(code) & drivers for code in codes)


def mutated_module(mutant: str) -> str | None:
    """``imu_geo.filters`` for mutmut's ``imu_geo.filters.x_month_end__mutmut_3``;
    None when no mutant is under test (mutmut's stats and clean runs)."""
    if "__mutmut_" not in mutant:
        return None
    return mutant.partition("__mutmut_")[0].rpartition(".")[0]


def _stem(module: str) -> str:
    """What a test file's name holds when it tests ``module``: ``filter`` for
    ``imu_geo.filters``, ``acled`` for ``imu_geo.importers.acled``."""
    name = module.rpartition(".")[2]
    return name[:-1] if name.endswith("s") and len(name) > 4 else name


def tests_module(file_name: str, module: str) -> bool:
    """Whether the test file ``file_name`` (``test_dates.py``) tests ``module``:
    its name holds the module's name or stem as one or more whole words
    (``test_source_columns.py`` and ``test_source_column_cells.py`` test
    ``imu_geo.source_columns``), unless :data:`NOT_MODULE_TESTS` leaves it out."""
    if file_name in NOT_MODULE_TESTS.get(module, ()):
        return False
    if file_name in MODULE_TESTS.get(module, ()):
        return True
    if module.startswith("imu_geo.importers.") and file_name in IMPORTER_TESTS:
        return True
    words = file_name.removeprefix("test_").removesuffix(".py").split("_")
    runs = {
        "_".join(words[start:end])
        for start in range(len(words))
        for end in range(start + 1, len(words) + 1)
    }
    return bool({module.rpartition(".")[2], _stem(module)} & runs)


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not config.getoption(OPTION):
        return
    cache: dict[str, set[str]] = {}
    kept, dropped = [], []
    for item in items:
        (kept if _is_pure(item, cache) else dropped).append(item)
    module = mutated_module(os.environ.get("MUTANT_UNDER_TEST", ""))
    if module is None and os.environ.get("MUTANT_UNDER_TEST") in ("", "fail"):
        # mutmut's clean and forced-fail runs, in a run of one module's mutants.
        module = os.environ.get(MODULE_ENV) or None
    if module is not None:
        own = [item for item in kept if tests_module(item.path.name, module)]
        if own:
            dropped += [item for item in kept if item not in own]
            kept = own
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
