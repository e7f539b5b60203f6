"""Measure `briefings import` on the four sample reports, as text, PDF and Word.

    .venv/bin/python benchmarks/bench_import.py [--out benchmarks/results/import.md]

For each sample review with a report in tests/reports/, the gold file
benchmarks/import_gold/<id>.yml pairs each of the review's learning points and recommendations
with a phrase of the report it restates. The report is imported as text, and as a PDF
(Typst) and a Word file (python-docx, page breaks where the PDF's pages fall) made from the
text (tests/report_files.py). Reported per report and format:

- recall: the share of gold items (points and recommendations) that some draft item of the
  same kind contains (the phrase, compared ignoring case and punctuation);
- precision: the share of draft items that contain a gold phrase of their kind;
- paged: the share of draft items whose source gives a page;
- metadata: fields the draft has right, of report title, board, review type, nation,
  publication date, pseudonyms, age and age group (as the sample review gives them);
- themes P@5: of the five best theme suggestions for the whole review, the share that the
  sample review has among its themes.

The extractor was developed on these same four reports: the figures say how well it does on
them, not how it will do on a report it has never seen.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from report_files import make_docx, make_pdf  # noqa: E402

from generator.importing.draft import draft_text  # noqa: E402
from generator.importing.extract import extract  # noqa: E402
from generator.importing.read import read_report  # noqa: E402
from generator.importing.themes import ThemeIndex  # noqa: E402
from generator.importing.vocabulary import project_vocabularies  # noqa: E402

FIELDS = ("report_title", "board", "review_type", "nation", "published", "pseudonyms", "subject_age", "age_group")


def normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def measure(report: Path, gold: dict, vocabularies) -> dict:
    started = time.perf_counter()
    extracted = extract(read_report(report), vocabularies.agencies, vocabularies.review_types)
    draft = draft_text(gold["review"], extracted, ThemeIndex(vocabularies.themes), report.name, None)
    seconds = time.perf_counter() - started
    drafted = {
        "points": [normal(item.text) for item in extracted.points],
        "recommendations": [normal(item.text) for item in extracted.recommendations],
    }
    found = total = real = items = 0
    for kind in ("points", "recommendations"):
        phrases = [normal(entry["phrase"]) for entry in gold[kind]]
        total += len(phrases)
        found += sum(any(phrase in item for item in drafted[kind]) for phrase in phrases)
        items += len(drafted[kind])
        real += sum(any(phrase in item for phrase in phrases) for item in drafted[kind])
    everything = [*extracted.points, *extracted.recommendations]
    paged = sum(bool(item.pages) for item in everything)
    meta, expected = extracted.metadata, gold["metadata"]
    right = sum(_same(meta.get(name), expected.get(name)) for name in FIELDS)
    top = [suggestion.theme for suggestion in draft.review_themes[:5]]
    return {
        "recall": found / total if total else 1.0,
        "precision": real / items if items else 0.0,
        "counts": f"{found}/{total}, {real}/{items}",
        "paged": paged / len(everything) if everything else 0.0,
        "metadata": f"{right}/{len(FIELDS)}",
        "themes": sum(theme in expected["themes"] for theme in top) / 5,
        "seconds": seconds,
    }


def _same(found: object, expected: object) -> bool:
    if isinstance(expected, list):
        return isinstance(found, list) and [normal(x) for x in found] == [normal(str(x)) for x in expected]
    return found is not None and expected is not None and normal(str(found)) == normal(str(expected))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="Also write the table to this file.")
    args = parser.parse_args()
    vocabularies = project_vocabularies(REPO / "content")
    rows = [
        "| report | format | recall (found/gold, real/drafted) | precision | paged | metadata | themes P@5 | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for gold_file in sorted((REPO / "benchmarks" / "import_gold").glob("*.yml")):
            gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
            text_file = REPO / gold["report"]
            text = text_file.read_text(encoding="utf-8")
            pdf, docx = Path(folder) / f"{gold['review']}.pdf", Path(folder) / f"{gold['review']}.docx"
            make_docx(text, docx, make_pdf(text, pdf))
            for name, report in (("text", text_file), ("PDF", pdf), ("Word", docx)):
                r = measure(report, gold, vocabularies)
                rows.append(
                    f"| {gold['review']} | {name} | {r['recall']:.0%} ({r['counts']}) | {r['precision']:.0%} | "
                    f"{r['paged']:.0%} | {r['metadata']} | {r['themes']:.0%} | {r['seconds']:.2f} |"
                )
    table = "\n".join(rows) + "\n"
    print(table, end="")
    if args.out:
        args.out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
