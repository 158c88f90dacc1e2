"""Lines, key-value pairs and tables from positioned words (no PDF, no Tesseract)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from docuflow_tools.offline_ocr.blocks import BlockIds, page_blocks
from docuflow_tools.offline_ocr.layout import Box, PageText, Word, group_lines
from docuflow_tools.offline_ocr.tables import find_tables

ASPECT = 842 / 595  # A4 height / width


def word(text: str, left: float, top: float, *, height: float = 0.011) -> Word:
    width = 0.0075 * len(text)
    return Word(text, 1, 99.5, Box(left, top, width, height))


def row(text: str, left: float, top: float) -> list[Word]:
    words, x = [], left
    for part in text.split():
        words.append(word(part, x, top))
        x += 0.0075 * len(part) + 0.004
    return words


def page_of(words: list[Word]) -> PageText:
    return PageText(1, 595.0, 842.0, tuple(words), "text_layer")


def texts(blocks: list[dict[str, Any]], kind: str) -> list[str]:
    return [b["Text"] for b in blocks if b["BlockType"] == kind]


def test_a_wide_gap_splits_a_row_into_two_lines() -> None:
    words = (
        row("Invoice Date:", 0.1, 0.2) + row("14 March 2025", 0.5, 0.2) + row("Page 1", 0.1, 0.9)
    )
    lines = [line.text for line in group_lines(words, aspect=ASPECT)]
    assert lines == ["Invoice Date:", "14 March 2025", "Page 1"]


def test_pairs_and_a_table() -> None:
    words = (
        row("Invoice No: 4711", 0.1, 0.1)
        + row("Due Date:", 0.1, 0.12)
        + row("2025-04-30", 0.3, 0.12)
        + row("Description", 0.1, 0.3)
        + row("Qty", 0.55, 0.3)
        + row("Amount", 0.8, 0.3)
        + row("Paper", 0.1, 0.32)
        + row("2", 0.56, 0.32)
        + row("10.00", 0.8, 0.32)
        + row("Toner", 0.1, 0.34)
        + row("1", 0.56, 0.34)
        + row("55.00", 0.8, 0.34)
        + row("Subtotal", 0.6, 0.4)
        + row("65.00", 0.8, 0.4)
    )
    blocks = page_blocks(page_of(words), BlockIds("test"))
    by_id = {b["Id"]: b for b in blocks}

    def text(block: dict[str, Any]) -> str:
        ids = [i for r in block.get("Relationships", []) if r["Type"] == "CHILD" for i in r["Ids"]]
        return " ".join(by_id[i]["Text"] for i in ids)

    pairs = {}
    for block in blocks:
        if block["BlockType"] == "KEY_VALUE_SET" and block["EntityTypes"] == ["KEY"]:
            value = by_id[next(r for r in block["Relationships"] if r["Type"] == "VALUE")["Ids"][0]]
            pairs[text(block)] = text(value)
            assert block["Confidence"] < 99.5  # the pairing is a judgement, not a reading
    assert pairs == {"Invoice No:": "4711", "Due Date:": "2025-04-30", "Subtotal": "65.00"}
    cells = {(b["RowIndex"], b["ColumnIndex"]): text(b) for b in blocks if b["BlockType"] == "CELL"}
    assert cells == {
        (1, 1): "Description",
        (1, 2): "Qty",
        (1, 3): "Amount",
        (2, 1): "Paper",
        (2, 2): "2",
        (2, 3): "10.00",
        (3, 1): "Toner",
        (3, 2): "1",
        (3, 3): "55.00",
    }


def test_a_label_whose_neighbour_is_another_label_gets_no_value() -> None:
    words = row("Please remit to:", 0.08, 0.5) + row("Subtotal", 0.3, 0.5) + row("12.00", 0.8, 0.5)
    blocks = page_blocks(page_of(words), BlockIds("test"))
    keys = [b for b in blocks if b["BlockType"] == "KEY_VALUE_SET" and b["EntityTypes"] == ["KEY"]]
    assert len(keys) == 1  # only "Subtotal" -> "12.00"


_word = st.builds(
    lambda text, left, top, height: Word(text, 1, 90.0, Box(left, top, 0.006 * len(text), height)),
    st.sampled_from(["Total", "Invoice:", "12.00", "No:", "Qty", "Amount", "A", "2025-01-31", ":"]),
    st.floats(min_value=0, max_value=0.9),
    st.floats(min_value=0, max_value=0.97),
    st.floats(min_value=0.002, max_value=0.03),
)


@settings(max_examples=120, deadline=None)
@given(st.lists(_word, min_size=1, max_size=60))
def test_blocks_are_always_consistent(words: list[Word]) -> None:
    blocks = page_blocks(page_of(words), BlockIds("prop"))
    by_id = {b["Id"]: b for b in blocks}
    assert len(by_id) == len(blocks)
    for block in blocks:
        for relation in block.get("Relationships", []):
            assert all(i in by_id for i in relation["Ids"])
    word_ids = [b["Id"] for b in blocks if b["BlockType"] == "WORD"]
    in_lines = [
        i for b in blocks if b["BlockType"] == "LINE" for r in b["Relationships"] for i in r["Ids"]
    ]
    assert sorted(in_lines) == sorted(word_ids)  # every word in exactly one line
    assert len(word_ids) == len(words)


def items(words: list[Word]) -> list[tuple[list[str | None], list[list[str]]]]:
    """Each table's column roles and its rows' cell texts."""
    lines = group_lines(words, aspect=ASPECT)
    return [
        (
            [column.role for column in table.columns],
            [[" ".join(w.text for w in cell) for cell in row] for row in table.rows],
        )
        for table in find_tables(lines, aspect=ASPECT)
    ]


def test_a_header_over_two_lines_wrapped_descriptions_and_a_totals_row() -> None:
    words = (
        row("#", 0.08, 0.30)
        + row("Description", 0.12, 0.30)
        + row("Unit", 0.55, 0.30)
        + row("Price", 0.55, 0.312)
        + row("Qty", 0.68, 0.30)
        + row("Amount", 0.82, 0.30)
        + row("1", 0.08, 0.33)
        + row("Consulting on site", 0.12, 0.33)
        + row("100.00", 0.55, 0.33)
        + row("2", 0.69, 0.33)
        + row("200.00", 0.82, 0.33)
        + row("incl. travel time", 0.12, 0.345)
        + row("2", 0.08, 0.37)
        + row("Licence", 0.12, 0.37)
        + row("50.00", 0.56, 0.37)
        + row("1", 0.69, 0.37)
        + row("50.00", 0.83, 0.37)
        + row("Subtotal", 0.55, 0.40)
        + row("250.00", 0.82, 0.40)
    )
    assert items(words) == [
        (
            [None, "description", "unit_price", "quantity", "amount"],
            [
                ["1", "Consulting on site incl. travel time", "100.00", "2", "200.00"],
                ["2", "Licence", "50.00", "1", "50.00"],
            ],
        )
    ]


def test_a_figure_is_the_one_aligned_under_its_header() -> None:
    # "VAT % Line Amount" is set as one label; its two figures stand under its two parts.
    words = (
        row("Description", 0.1, 0.30)
        + row("Unit", 0.45, 0.30)
        + row("Qty", 0.55, 0.30)
        + row("VAT % Line Amount", 0.74, 0.30)
        + row("Office chair, blue", 0.1, 0.33)
        + row("Piece", 0.45, 0.33)
        + row("3", 0.56, 0.33)
        + row("19", 0.76, 0.33)
        + row("573.00", 0.8605, 0.33)
    )
    assert items(words) == [
        (
            ["description", None, "quantity", "amount"],
            [["Office chair, blue", "Piece", "3", "573.00"]],
        )
    ]


def test_an_items_note_labelled_net_does_not_end_the_table() -> None:
    words = (
        row("Désignation", 0.1, 0.30)
        + row("P.U. HT", 0.45, 0.30)
        + row("Qté", 0.6, 0.30)
        + row("Total HT", 0.8, 0.30)
        + row("Support", 0.1, 0.33)
        + row("(Net): 60,00", 0.45, 0.33)
        + row("1,00", 0.6, 0.33)
        + row("60,00", 0.8, 0.33)
        + row("Papier", 0.1, 0.36)
        + row("10,00", 0.45, 0.36)
        + row("3,00", 0.6, 0.36)
        + row("30,00", 0.8, 0.36)
        + row("Total HT", 0.6, 0.40)
        + row("90,00", 0.8, 0.40)
    )
    assert items(words) == [
        (
            ["description", "unit_price", "quantity", "amount"],
            [["Support", "(Net): 60,00", "1,00", "60,00"], ["Papier", "10,00", "3,00", "30,00"]],
        )
    ]
