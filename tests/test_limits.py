"""What an import may cost, and how a refusal is said (``imu_geo.importers.limits``).

Every expected value is worked by hand from the rules in the module's docstrings:
sizes are 1,024-based; a measured size has one decimal (``3.2 KB``) and whole
bytes below a kilobyte; a limit drops a ``.0`` (``200 MB``); the estimate is
64 MiB, plus 6 bytes per byte of text, plus 80 bytes per cell; a figure equal to
its limit is accepted, one byte more is refused.
"""

from __future__ import annotations

import pytest

from imu_geo.importers.limits import (
    ImportFailure,
    InternalImportError,
    Limits,
    check_budget,
    check_unpacked,
    estimate,
    limit_text,
    one_line_failures,
    parse_size,
    size_text,
    table_text,
)

KB, MB, GB = 1024, 1024 * 1024, 1024 * 1024 * 1024


def test_the_default_limits_are_the_documented_ones():
    limits = Limits()
    assert limits.max_bytes == 209_715_200  # 200 MB
    assert limits.max_rows == 5_000_000
    assert limits.max_field_bytes == 1_048_576  # 1 MB
    assert limits.max_columns == 1_000
    assert limits.max_memory == 2_936_012_800  # 14 × 200 MB = 2,800 MB
    assert limits.max_unpack_ratio == 100


def test_another_size_limit_keeps_the_other_limits():
    limits = Limits(max_rows=7, max_columns=3, max_field_bytes=9, max_unpack_ratio=2)
    changed = limits.with_max_bytes(300 * MB)
    assert (changed.max_rows, changed.max_columns) == (7, 3)
    assert (changed.max_field_bytes, changed.max_unpack_ratio) == (9, 2)
    assert changed.max_bytes == 314_572_800
    assert changed.max_memory == 4_404_019_200  # 14 × 300 MB
    # 200 MB exactly gives the default budget either way.
    assert Limits().with_max_bytes(200 * MB).max_memory == 2_936_012_800


@pytest.mark.parametrize(
    ("rows", "columns", "expected"),
    [
        (1, 1, "1 row × 1 column"),
        (412_000, 31, "412,000 rows × 31 columns"),
        (0, 2, "0 rows × 2 columns"),
        (2, 1_000, "2 rows × 1,000 columns"),
    ],
)
def test_a_tables_size_names_its_rows_and_columns(rows, columns, expected):
    assert table_text(rows, columns) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 bytes"),
        (12.7, "12 bytes"),
        (1023, "1023 bytes"),
        (1024, "1.0 KB"),
        (3277, "3.2 KB"),  # 3.2002 KB
        (1_048_575, "1024.0 KB"),  # one byte short of a megabyte
        (1_048_576, "1.0 MB"),
        (262_144_000, "250.0 MB"),
        (1_073_741_823, "1024.0 MB"),
        (1_073_741_824, "1.0 GB"),
        (2_684_354_560, "2.5 GB"),
    ],
)
def test_a_measured_size_has_one_decimal_in_the_largest_unit_it_reaches(n, expected):
    assert size_text(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 bytes"),
        (600, "600 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (1_048_575, "1024 KB"),
        (1_048_576, "1 MB"),
        (209_715_200, "200 MB"),
        (1_073_741_823, "1024 MB"),
        (1_073_741_824, "1 GB"),
        (2_936_012_800, "2.7 GB"),  # 2.734 GB
        (2_576_980_378, "2.4 GB"),
    ],
)
def test_a_limit_is_shown_as_it_was_set(n, expected):
    assert limit_text(n) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 5 k ", 5 * KB),
        ("3KiB", 3 * KB),
        ("2 MiB", 2 * MB),
        ("2m", 2 * MB),
        ("1gib", GB),
        ("0.5MB", 512 * KB),
        ("7b", 7),
    ],
)
def test_a_size_takes_every_spelling_of_its_unit(text, expected):
    assert parse_size(text) == expected


def test_a_size_that_is_not_one_is_refused_with_an_example():
    with pytest.raises(ValueError) as refused:
        parse_size("ten")
    assert str(refused.value) == (
        "'ten' is not a size; write a number and a unit, e.g. 600MB or 1.5GB"
    )


@pytest.mark.parametrize(
    ("text_bytes", "cells", "expected"),
    [
        (0, 0, 67_108_864),  # 64 MiB
        (10, 0, 67_108_924),
        (0, 3, 67_109_104),
        (1_000, 20, 67_116_464),  # + 6,000 + 1,600
    ],
)
def test_the_estimate_is_a_base_plus_text_plus_cells(text_bytes, cells, expected):
    assert estimate(text_bytes, cells) == expected


def test_a_need_up_to_the_budget_is_accepted_and_one_byte_more_refused():
    limits = Limits(max_memory=MB)
    check_budget("f.csv", MB, limits, "2 rows × 3 columns")
    with pytest.raises(ImportFailure) as refused:
        check_budget("f.csv", MB + 1, limits, "2 rows × 3 columns")
    assert type(refused.value) is ImportFailure
    assert str(refused.value) == (
        "f.csv: importing it would take about 1.0 MB of memory (2 rows × 3 "
        "columns); one import may take 1 MB: split the file or leave out columns "
        "you do not need"
    )


def test_a_need_counted_from_part_of_a_file_is_a_lower_bound():
    with pytest.raises(ImportFailure) as refused:
        check_budget(
            "g.json",
            3 * GB,
            Limits(),
            "40 objects",
            advice="export fewer rows",
            at_least=True,
        )
    assert str(refused.value) == (
        "g.json: importing it would take more than 3.0 GB of memory (40 objects); "
        "one import may take 2.7 GB: export fewer rows"
    )


def test_data_that_unpacks_past_the_size_limit_is_refused():
    limits = Limits(max_bytes=KB)
    check_unpacked("a.zip", KB, limits)
    with pytest.raises(ImportFailure) as refused:
        check_unpacked("a.zip", KB + 1, limits)
    assert str(refused.value) == (
        "a.zip: unpacks to more than 1 KB; that is the limit, and it applies to "
        "the unpacked data"
    )


class _Named:
    def __init__(self, name):
        self.name = name


def _raising(error: BaseException):
    @one_line_failures
    def read(*args, **kwargs):
        """Reads."""
        raise error

    return read


def test_a_guarded_reader_returns_what_it_returns_and_keeps_its_name():
    @one_line_failures
    def read(path, *, scale=1):
        """Reads a file."""
        return (path, scale * 2)

    assert read("x.csv", scale=3) == ("x.csv", 6)
    assert (read.__name__, read.__doc__) == ("read", "Reads a file.")


def test_a_refusal_leaves_a_guarded_reader_as_it_is():
    refusal = ImportFailure("x.csv: has no header")
    with pytest.raises(ImportFailure) as raised:
        _raising(refusal)("x.csv")
    assert raised.value is refusal


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("/tmp/in/data.csv",), "data.csv"),
        (("data.csv", "other.csv"), "data.csv"),
        (("",), "the file"),
        ((), "the file"),
        ((_Named("upload.xlsx"),), "upload.xlsx"),
        ((_Named(7),), "the file"),
        ((42,), "the file"),
    ],
)
def test_running_out_of_memory_is_one_line_naming_the_file(args, name):
    cause = MemoryError()
    with pytest.raises(InternalImportError) as raised:
        _raising(cause)(*args)
    assert str(raised.value) == (
        f"{name}: there was not enough memory to import it; try a smaller file"
    )
    assert raised.value.__cause__ is cause


@pytest.mark.parametrize(
    ("error", "detail"),
    [
        (ValueError("bad thing\nsecond line"), "ValueError: bad thing"),
        (KeyError("col"), "KeyError: 'col'"),
        (RuntimeError("  spaced out  "), "RuntimeError: spaced out"),
        (RuntimeError(""), "RuntimeError"),
        (RuntimeError(" \n "), "RuntimeError"),
        (OSError("x" * 250), "OSError: " + "x" * 200),
    ],
)
def test_an_unforeseen_error_is_one_line_naming_the_file_and_the_error(error, detail):
    with pytest.raises(InternalImportError) as raised:
        _raising(error)("in/data.csv")
    assert str(raised.value) == (
        "data.csv: could not be imported because of an error in the importer "
        f"({detail})"
    )
    assert raised.value.__cause__ is error
    assert isinstance(raised.value, ImportFailure)
