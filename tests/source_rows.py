"""Rows in the layouts of ACLED, UCDP GED and GTD, written for the tests (none
is taken from the datasets, whose terms forbid it for ACLED and GTD), a row in
this project's own columns, and the bytes of a file that holds them. Shared by
the importer, native-field, source-column, source-type, world-import and
event-point tests."""

from __future__ import annotations

import csv
import io

from imu_geo.importers import RowIssue

# --- ACLED ------------------------------------------------------------------------

ACLED_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
    "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,"
    "fatalities,tags,timestamp"
).split(",")

ANDIJAN = {
    "event_id_cnty": "UZB12",
    "event_date": "2009-05-26",
    "year": "2009",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Suicide bomb",
    "actor1": "IMU: Islamic Movement of Uzbekistan",
    "assoc_actor_1": "",
    "inter1": "2",
    "actor2": "Police Forces of Uzbekistan (1991-)",
    "assoc_actor_2": "",
    "inter2": "1",
    "interaction": "12",
    "civilian_targeting": "",
    "iso": "860",
    "region": "Caucasus and Central Asia",
    "country": "Uzbekistan",
    "admin1": "Andijon",
    "admin2": "Andijon",
    "admin3": "",
    "location": "Andijan",
    "latitude": "40.7834",
    "longitude": "72.3507",
    "geo_precision": "1",
    "source": "Reuters",
    "source_scale": "International",
    "notes": "On 26 May 2009, a suicide bomber attacked a police post in Andijan.",
    "fatalities": "3",
    "tags": "",
    "timestamp": "1700000000",
}


ACLED_ROWS = [
    {
        "event_id_cnty": "UZB101",
        "event_date": "2009-05-26",
        "year": "2009",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Suicide bomb",
        "actor1": "IMU: Islamic Movement of Uzbekistan",
        "assoc_actor_1": "Islamic Jihad Union",
        "inter1": "2",
        "actor2": "Police Forces of Uzbekistan (1991-)",
        "assoc_actor_2": "Civilians (Uzbekistan)",
        "inter2": "1",
        "interaction": "12",
        "civilian_targeting": "",
        "iso": "860",
        "region": "Caucasus and Central Asia",
        "country": "Uzbekistan",
        "admin1": "Andijon",
        "admin2": " Andijon  ",
        "admin3": "",
        "location": "Andijan",
        "latitude": "40.7834",
        "longitude": "72.3507",
        "geo_precision": "1",
        "source": "Reuters; Fergana News",
        "source_scale": "International-National",
        "notes": "A suicide bomber attacked a police post in Andijan.",
        "fatalities": "3",
        "tags": 'crowd size=no report, "estimated"',
        "timestamp": "1700000000",
    },
    {
        # Rejected: the point is out of range, swapped or not.
        "event_id_cnty": "UZB102",
        "event_date": "2009-05-27",
        "year": "2009",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "IMU: Islamic Movement of Uzbekistan",
        "country": "Uzbekistan",
        "admin1": "Rejected row",
        "location": "Andijan",
        "latitude": "-999",
        "longitude": "-999",
        "geo_precision": "1",
        "notes": "Clashes.",
        "timestamp": "1700000001",
    },
    {
        "event_id_cnty": "KGZ7",
        "event_date": "1999-08-23",
        "year": "1999",
        "time_precision": "3",
        "disorder_type": "Political violence",
        "event_type": "Violence against civilians",
        "sub_event_type": "Abduction/forced disappearance",
        "actor1": "IMU: Islamic Movement of Uzbekistan",
        "inter1": "2",
        "actor2": "Civilians (Japan)",
        "inter2": "7",
        "interaction": "27",
        "civilian_targeting": "Civilian targeting",
        "iso": "417",
        "region": "Caucasus and Central Asia",
        "country": "Kyrgyzstan",
        "admin1": "Batken",
        "admin2": "Batken",
        "admin3": "=1+1",
        "location": "Batken",
        "latitude": "40.0604",
        "longitude": "70.8193",
        "geo_precision": "3",
        "source": "AFP",
        "source_scale": "International",
        "notes": "Four Japanese geologists were kidnapped.",
        "fatalities": "0",
        "tags": "two\nlines",
        "timestamp": "1700000002",
    },
]


def table_bytes(
    rows: list[dict],
    columns=ACLED_COLUMNS,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    """Rows as CSV text, the way a spreadsheet or the datasets export them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[row.get(c, "") for c in columns] for row in rows])
    return buffer.getvalue().encode(encoding)


def csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    """:func:`table_bytes`, columns first."""
    return table_bytes(rows, columns)


def acled(*rows: dict, **options) -> bytes:
    return table_bytes(list(rows), **options)


def row(**overrides) -> dict:
    return ANDIJAN | overrides


def issue(row, action, column, reason) -> RowIssue:
    return RowIssue(row, action, column, reason)


GEO = "latitude, longitude"

# --- UCDP GED -----------------------------------------------------------------------

UCDP_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_new_id,"
    "conflict_name,dyad_new_id,dyad_name,side_a_new_id,side_a,side_b_new_id,"
    "side_b,number_of_sources,source_article,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,"
    "country,country_id,region,event_clarity,date_prec,date_start,date_end,"
    "deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low"
).split(",")
# The whole layout of GED 22.x and later.
GED_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,"
    "conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,"
    "side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,"
    "source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,"
    "latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,"
    "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low"
).split(",")

UCDP_BATKEN = {
    "id": "4001",
    "relid": "KGZ-1999-1-310-1",
    "year": "1999",
    "type_of_violence": "1",
    "conflict_name": "Uzbekistan: Government",
    "dyad_name": "Government of Uzbekistan - IMU",
    "side_a": "Government of Uzbekistan",
    "side_b": "IMU",
    "source_article": '"Reuters,1999-08-25,Kyrgyz troops fight rebels"',
    "where_prec": "4",
    "where_coordinates": "Batken province",
    "where_description": "Batken region",
    "latitude": "39.8646",
    "longitude": "70.8507",
    "country": "Kyrgyzstan",
    "country_id": "703",
    "date_prec": "4",
    "date_start": "1999-08-01 00:00:00.000",
    "date_end": "1999-08-31 00:00:00.000",
    "best": "4",
    "high": "6",
    "low": "4",
}
UCDP_TAVILDARA = UCDP_BATKEN | {
    "id": "4002",
    "source_article": "",
    "where_prec": "2",
    "where_coordinates": "Tavildara town",
    "latitude": "",
    "longitude": "",
    "country": "Tajikistan",
    "country_id": "702",
    "date_prec": "1",
    "date_start": "2000-08-11 00:00:00.000",
    "date_end": "2000-08-11 00:00:00.000",
    "best": "3",
    "high": "3",
    "low": "3",
}

# --- GTD ----------------------------------------------------------------------------

GTD_COLUMNS = (
    "eventid,iyear,imonth,iday,approxdate,extended,country,country_txt,region_txt,"
    "provstate,city,latitude,longitude,specificity,summary,suicide,attacktype1,"
    "attacktype1_txt,targtype1_txt,target1,gname,gname2,nkill,nwound"
).split(",")
GTD_TASHKENT = {
    "eventid": "199902160001",
    "iyear": "1999",
    "imonth": "2",
    "iday": "16",
    "approxdate": "",
    "extended": "0",
    "country": "217",
    "country_txt": "Uzbekistan",
    "region_txt": "Central Asia",
    "provstate": "Tashkent",
    "city": "Tashkent",
    "latitude": "41.311158",
    "longitude": "69.279737",
    "specificity": "1",
    "summary": "02/16/1999: Six car bombs exploded in Tashkent.",
    "suicide": "0",
    "attacktype1": "3",
    "attacktype1_txt": "Bombing/Explosion",
    "targtype1_txt": "Government (General)",
    "target1": "Government building",
    "gname": "Islamic Movement of Uzbekistan (IMU)",
    "nkill": "16",
    "nwound": "128",
}


# --- this project's own columns ----------------------------------------------------


def native_row(**overrides) -> dict:
    """A row in this project's columns (the Andijan bombing), with ``overrides``."""
    row = {
        "event_id": "2009-05-26-andijan-bombing",
        "date_start": "2009-05-26",
        "date_end": "2009-05-26",
        "date_precision": "day",
        "date_origin": "source",
        "layer": "attack",
        "event_type": "suicide_bombing",
        "place_id": "andijan",
        "geo_precision": "near",
        "place_origin": "source",
        "actors": "IMU",
        "target": "police post",
        "fatalities_low": "3",
        "fatalities_best": "3",
        "fatalities_high": "3",
        "attribution": "suspected",
        "title": "Suicide bombing in Andijan",
        "description": "A suicide bomber attacked a police post.",
        "source_quote": "A suicide bomber attacked a police post in Andijan.",
        "source": "A source text.",
        "notes": "",
        "lat": "40.7834",
        "lon": "72.3507",
        "place_name": "Andijan",
    }
    row.update(overrides)
    return row
