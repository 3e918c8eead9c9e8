"""Time the importer on the shared corpus of real texts, format by format.

Run from the repository root::

    .venv/bin/python -m benchmarks.import_bench
    .venv/bin/python -m benchmarks.import_bench --repeats 3 --corpus ../shared/data/real

Formats, each through ``read_document`` as an upload goes:

- text/Markdown: the corpus's Markdown files (``md/``, ``zh-pairs/``) as they are;
- Akoma Ntoso: the corpus's XML files (``akn/``);
- DOCX and PDF: the same Markdown texts made into a Word file (a paragraph each) and into a PDF
  print (wrapped lines, a running header and a numbered footer on every page) by
  ``benchmarks/real_files.py``; the time to make them is not counted.

For each format: the median over ``--repeats`` runs of the CPU and wall-clock time to read every
file, per 100 KB of file and per 100 KB of text (the UTF-8 size of the Markdown file, or of the
text written into the DOCX or PDF; not known for Akoma Ntoso), and the memory peak
(``tracemalloc``) of reading the format's largest file once.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import platform
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clauses.importing.document import read_document
from clauses.importing.errors import TextImportError

from .real_files import make_docx, make_pdf, paragraphs

FORMATS = ("text/Markdown", "Akoma Ntoso", "DOCX", "PDF")


@dataclass(frozen=True)
class Upload:
    """A file as uploaded; ``text_bytes`` is the UTF-8 size of the text it holds, where known."""

    name: str
    data: bytes
    text_bytes: int = 0


@dataclass(frozen=True)
class FormatResult:
    label: str
    files: int
    refused: int
    file_bytes: int
    text_bytes: int
    cpu: float
    wall: float
    largest: str
    largest_bytes: int
    peak_bytes: int

    def per_100_kb(self, seconds: float, size: int) -> str:
        return f"{seconds * 1000 / (size / 102_400):.1f} ms" if size else "-"


def uploads(corpus: Path, max_kb: float | None = None) -> dict[str, list[Upload]]:
    """The files of each format, those over ``max_kb`` left out."""
    markdown = sorted([*corpus.glob("md/*.md"), *corpus.glob("zh-pairs/*.md")])
    made: dict[str, list[Upload]] = {label: [] for label in FORMATS}
    for path in markdown:
        data = path.read_bytes()
        made["text/Markdown"].append(Upload(path.name, data, len(data)))
        texts = paragraphs(path)
        size = len("\n\n".join(texts).encode())
        chinese = path.parent.name == "zh-pairs"
        made["DOCX"].append(Upload(f"{path.stem}.docx", make_docx(texts), size))
        made["PDF"].append(Upload(f"{path.stem}.pdf", make_pdf(texts, chinese=chinese), size))
    for path in sorted(corpus.glob("akn/*")):
        made["Akoma Ntoso"].append(Upload(path.name, path.read_bytes()))
    if max_kb is not None:
        made = {
            label: [u for u in files if len(u.data) <= max_kb * 1024]
            for label, files in made.items()
        }
    return made


def _read_all(files: list[Upload]) -> tuple[float, float, int]:
    """CPU and wall seconds to read every file, and the number of files refused."""
    cpu, wall = time.process_time(), time.perf_counter()
    refused = 0
    for upload in files:
        try:
            read_document(upload.data, upload.name)
        except TextImportError:
            refused += 1
    return time.process_time() - cpu, time.perf_counter() - wall, refused


def _peak(upload: Upload) -> int:
    tracemalloc.start()
    with contextlib.suppress(TextImportError):
        read_document(upload.data, upload.name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def run_format(label: str, files: list[Upload], repeats: int) -> FormatResult:
    runs = [_read_all(files) for _ in range(repeats)]
    largest = max(files, key=lambda u: len(u.data))
    return FormatResult(
        label=label,
        files=len(files),
        refused=runs[0][2],
        file_bytes=sum(len(u.data) for u in files),
        text_bytes=sum(u.text_bytes for u in files),
        cpu=statistics.median(r[0] for r in runs),
        wall=statistics.median(r[1] for r in runs),
        largest=largest.name,
        largest_bytes=len(largest.data),
        peak_bytes=_peak(largest),
    )


def table(results: list[FormatResult]) -> str:
    head = [
        "format",
        "files",
        "refused",
        "file KB",
        "text KB",
        "CPU per 100 KB of file",
        "CPU per 100 KB of text",
        "wall per 100 KB of text",
        "largest file",
        "its memory peak",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [
            r.label,
            str(r.files),
            str(r.refused),
            f"{r.file_bytes / 1024:,.0f}",
            f"{r.text_bytes / 1024:,.0f}",
            r.per_100_kb(r.cpu, r.file_bytes),
            r.per_100_kb(r.cpu, r.text_bytes),
            r.per_100_kb(r.wall, r.text_bytes),
            f"{r.largest} ({r.largest_bytes / 1024:,.0f} KB)",
            f"{r.peak_bytes / 2**20:.1f} MB",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    default = Path(os.environ.get("STA_SHARED_DATA_DIR", "../shared/data")) / "real"
    parser.add_argument("--corpus", type=Path, default=default, help="the real-text corpus")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--max-kb", type=float, default=None, help="leave out larger files")
    args = parser.parse_args(argv)
    if not (args.corpus / "SOURCES.md").is_file():
        parser.error(f"no corpus at {args.corpus} (give --corpus or set STA_SHARED_DATA_DIR)")

    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"{multiprocessing.cpu_count()} CPUs, {args.repeats} runs, {date.today().isoformat()}"
    )
    made = uploads(args.corpus, args.max_kb)
    print(f"# load average before the run: {_load()}")
    results = [run_format(label, files, args.repeats) for label, files in made.items() if files]
    print(f"# load average after the run: {_load()}\n")
    print(table(results))


if __name__ == "__main__":
    main()
