"""The starter list of 检索同义词: abbreviations and equivalent names of government vocabulary
(医保 ↔ 医疗保险, 低保 ↔ 最低生活保障, 两违 ↔ 违法用地和违法建设 …), shipped as `starter_synonyms.csv`
(one pair a line, header `term,equivalent`) and loaded by a data migration. Staff edit the table in the
back office (检索同义词); loading never changes or re-creates a row whose term is there already."""

import csv
from pathlib import Path

STARTER_CSV = Path(__file__).with_name("starter_synonyms.csv")


def starter_pairs(path: Path = STARTER_CSV) -> list[tuple[str, str]]:
    """The (term, equivalent) pairs of the list, in file order."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [(row["term"].strip(), row["equivalent"].strip()) for row in rows if row["term"].strip()]


def starter_groups(path: Path = STARTER_CSV) -> dict[str, list[str]]:
    """term → its equivalents (a term may have several lines)."""
    groups: dict[str, list[str]] = {}
    for term, equivalent in starter_pairs(path):
        names = groups.setdefault(term, [])
        if equivalent and equivalent not in names:
            names.append(equivalent)
    return groups


def load_starter(model, path: Path = STARTER_CSV) -> int:
    """Create the starter list's rows whose term is not in the table yet; returns how many. Idempotent:
    an existing row (a 管理员's edit included) is left as it is. `model`: the Synonym model (the
    historical one in a migration)."""
    existing = set(model.objects.values_list("term", flat=True))
    rows = [
        model(term=term, equivalents="、".join(equivalents))
        for term, equivalents in starter_groups(path).items()
        if term not in existing
    ]
    model.objects.bulk_create(rows)
    return len(rows)
