from __future__ import annotations

import pytest

from reviews.attachments import attachment_problem

LIMIT = 1000


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("plan.pdf", b"%PDF-1.7\n"),
        ("budget.XLSX", b"PK\x03\x04rest"),
        ("letter.docx", b"PK\x03\x04rest"),
        ("map.png", b"\x89PNG\r\n\x1a\nrest"),
        ("photo.jpeg", b"\xff\xd8\xffrest"),
        ("notes.txt", "Notes in 中文.".encode()),
        ("cut.txt", "abc中".encode()[:-1]),
    ],
)
def test_accepted_types_with_matching_content_pass(name: str, head: bytes) -> None:
    assert attachment_problem(name, 10, head, max_bytes=LIMIT) is None


@pytest.mark.parametrize(
    ("name", "size", "head", "message"),
    [
        ("run.exe", 10, b"MZ", "'run.exe' is not an accepted file type; attach one of: .csv,"),
        (
            "plan.pdf",
            LIMIT + 1,
            b"%PDF-",
            "'plan.pdf' is 1,001 bytes; attachments may be at most 1,000",
        ),
        ("plan.pdf", 0, b"", "'plan.pdf' is empty."),
        (
            "plan.pdf",
            10,
            b"MZ\x90\x00",
            "'plan.pdf' does not contain what its .pdf extension says.",
        ),
        ("notes.txt", 10, b"ab\x00cd", "'notes.txt' is not a text file."),
        ("notes.csv", 10, b"\xff\xfeab" + b"x" * 10, "'notes.csv' is not UTF-8 text."),
        ("archive", 10, b"x", "'archive' is not an accepted file type"),
    ],
)
def test_wrong_types_sizes_and_contents_are_refused_with_a_reason(
    name: str, size: int, head: bytes, message: str
) -> None:
    problem = attachment_problem(name, size, head, max_bytes=LIMIT)
    assert problem is not None
    assert problem.startswith(message)
