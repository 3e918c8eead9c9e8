"""The import benchmark runs on the corpus and reports every format it was given."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import import_bench


def test_a_quick_run_reports_each_format_with_its_largest_file(
    real_corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_bench.main(["--corpus", str(real_corpus_dir), "--repeats", "1", "--max-kb", "17"])

    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split(" | ")[0] for row in rows] == [
        "| format",
        "| text/Markdown",
        "| Akoma Ntoso",
        "| PDF",
    ]
    assert "nl-jp-st-1996.BWBV0001290.md (10 KB)" in rows[1]
    assert "akomantoso-archive__ke-act-2003-12-10-main.xml (16 KB)" in rows[2]
    assert "nl-jp-st-1996.BWBV0001290.pdf" in rows[3]
    assert "# load average before the run: " in out


def test_docx_and_pdf_are_made_from_each_markdown_text(real_corpus_dir: Path) -> None:
    made = import_bench.uploads(real_corpus_dir, max_kb=40)

    assert [u.name for u in made["DOCX"]] == ["nl-jp-st-1996.BWBV0001290.docx"]
    assert [u.name for u in made["PDF"]][:1] == ["nl-jp-st-1996.BWBV0001290.pdf"]
    assert made["DOCX"][0].data.startswith(b"PK")
    assert made["PDF"][0].data.startswith(b"%PDF-")
