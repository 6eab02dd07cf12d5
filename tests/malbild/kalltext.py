"""Reading the seed texts for the content tests: exact quotes, and where in the file they stand.

A quote in the instrument or the practice library must be word for word in its seed
(whitespace folded). Two marked departures are allowed and undone before the check:
"[sic]" after a word the source misspells, and ``normaliserat`` on a source, which maps
the shown form of a PDF-extraction artefact back to the seed's form
(``{"sjuksköterskor": "sjuk- sköterskor"}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from malbild.services import DATA_DIR

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FOTNOTSMARKERING = re.compile(r"<sup>\d+</sup>")
SIDKARTA = yaml.safe_load((DATA_DIR / "sidkarta_004.yaml").read_text(encoding="utf-8"))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def citat_i_kallans_form(kalla: dict) -> str:
    """The quote as the seed has it: without [sic], with extraction artefacts restored."""
    citat = kalla["citat"].replace(" [sic]", "")
    for visat, i_kallan in (kalla.get("normaliserat") or {}).items():
        citat = citat.replace(visat, i_kallan)
    return fold(citat)


@dataclass
class Kalltext:
    """A seed folded to one line, with the file line of every character."""

    text: str
    rad: list[int]

    def rader_for(self, citat: str) -> tuple[int, int] | None:
        i = self.text.find(citat)
        if i < 0:
            return None
        return self.rad[i], self.rad[i + len(citat) - 1]


def _bygg(lines: list[tuple[int, str]]) -> Kalltext:
    text, rad = [], []
    for nummer, line in lines:
        for ord_ in line.split():
            if text:
                text.append(" ")
                rad.append(nummer)
            text.append(ord_)
            rad.extend([nummer] * len(ord_))
    return Kalltext("".join(text), rad)


@cache
def kalltexter(seed: str) -> tuple[Kalltext, Kalltext]:
    """The seed as printed (footnotes where they fall) and as running text.

    Running text drops footnote bodies, "---" separators and footnote markers, so a
    sentence broken by a page end reads whole, as in the printed document.
    """
    rader = list(enumerate((SEEDS / seed).read_text(encoding="utf-8").splitlines(), start=1))
    tryckt = _bygg(rader)
    lopande = _bygg(
        [
            (n, FOTNOTSMARKERING.sub("", line))
            for n, line in rader
            if not line.lstrip().startswith(("<sup>", "---", "<http"))
        ]
    )
    return tryckt, lopande


def rader_for_citat(seed: str, citat: str) -> tuple[int, int] | None:
    for text in kalltexter(seed):
        hit = text.rader_for(citat)
        if hit:
            return hit
    return None


def sidor_for_rad(rad: int) -> set[int]:
    return {s["sida"] for s in SIDKARTA["sidor"] if s["rader"][0] <= rad <= s["rader"][1]}


def sidor_i_hanvisning(sida: str) -> set[int]:
    """ "14" → {14}; "14–15" → {14, 15}."""
    delar = [int(d) for d in re.split(r"[–-]", str(sida))]
    return set(range(delar[0], delar[-1] + 1))


def alla_kallor(node, vag: str = ""):
    """Every source dict with a quote, anywhere in a loaded YAML structure, with its path."""
    if isinstance(node, dict):
        if "citat" in node and "dokument" in node:
            yield vag, node
        for key, value in node.items():
            yield from alla_kallor(value, f"{vag}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            kod = value.get("kod") or value.get("slug") if isinstance(value, dict) else None
            yield from alla_kallor(value, f"{vag}/{kod or i}")
