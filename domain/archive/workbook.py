"""Reading an uploaded archive workbook (docs/archive.md §6.3, steps 1-3): the file's checks, merged
cells, headers, then each sheet's rows streamed as typed values, with a row-by-row report. Pure:
bytes or a path in, rows and problems out. A bad file is a report, never an exception."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, Any

import defusedxml.ElementTree as SafeET
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from domain.archive import cells
from domain.archive.report import Report
from domain.archive.sheets import SHEETS, Column, Sheet

MAX_BYTES = 20 * 1024 * 1024  # the upload endpoint's cap (§6.4)
MAX_UNZIPPED = 400 * 1024 * 1024
MAX_RATIO = 100  # a sheet's XML compresses 10-30×; far more is a zip bomb
MAX_ROWS = 200_000

Source = bytes | str | os.PathLike[str]
_OLE = b"\xd0\xcf\x11\xe0"  # .xls and password-protected .xlsx
_ZIP = b"PK\x03\x04"
# <mergeCell ref="B3:B5"/>, with or without a namespace prefix; a cell's text cannot hold a bare "<".
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)[\"']")
_CHUNK = 1 << 20
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class Row:
    sheet: str  # the sheet's key: buildings, units, …
    number: int  # the Excel row number
    values: dict[str, cells.Value]


@dataclass
class Parsed:
    rows: dict[str, list[Row]] = field(default_factory=dict)  # by sheet key; empty unless the report is clean
    report: Report = field(default_factory=Report)


class Workbook:
    """An opened upload that passed the file checks; `rows` streams one of its sheets."""

    def __init__(self, book: Any, sheets: list[Sheet], report: Report, project_code: str | None) -> None:
        self._book = book
        self.sheets = sheets
        self.report = report
        self._project_code = project_code
        self._id_columns: set[int] = set()
        # Each read sheet's fields as the report names their cells ("C 手机号"), for the set checks' problems.
        self.where: dict[str, dict[str, str]] = {}
        self._unnamed: set[int] = set()  # columns without a header whose data was reported

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._book.close()

    def rows(self, sheet: Sheet) -> Iterator[Row]:
        """The sheet's good rows, in order; its problems go to the report. Nothing if its headers are wrong."""
        worksheet = self._book[sheet.name]
        worksheet.reset_dimensions()  # a wrong <dimension> would otherwise cut the sheet short
        lines = self._lines(sheet, worksheet)
        columns = _headers(sheet, next(lines, ()), self.report)
        if columns is None:
            return
        self.where[sheet.key] = {c.field: f"{get_column_letter(i + 1)} {c.header}" for i, c in columns.items()}
        self._id_columns = {i for i, c in columns.items() if c.kind == "id_number"}
        self._unnamed = set()
        seen: dict[int, int] = {}
        count = 0
        for number, line in enumerate(lines, start=2):
            if self.report.full:
                return
            if all(c.value is None or cells.text(c.value) == "" for c in line):
                continue
            count += 1
            if count > MAX_ROWS:
                self.report.add("TOO_MANY_ROWS", sheet=sheet.name, row=number, limit=MAX_ROWS)
                return
            row = self._row(sheet, columns, number, line, seen)
            if row is not None:
                yield row

    def estimated_rows(self) -> int:
        """The data rows the sheets' <dimension> claims, for a progress bar (it may be wrong: only a guide)."""
        total = 0
        for sheet in self.sheets:
            rows = self._book[sheet.name].max_row
            total += max((rows or 1) - 1, 0)
        return total

    def _lines(self, sheet: Sheet, worksheet: Any) -> Iterator[tuple[Any, ...]]:
        try:
            yield from worksheet.iter_rows()
        except Exception:  # noqa: BLE001 - damaged sheet XML raises many kinds; the report says so, the caller goes on
            self.report.add("NOT_A_WORKBOOK", sheet=sheet.name)

    def _row(self, sheet: Sheet, columns: dict[int, Column], number: int, line: tuple[Any, ...], seen: dict[int, int]) -> Row | None:
        before = self.report.total
        values: dict[str, cells.Value] = {c.field: None for c in sheet.columns}
        flagged: set[str] = set()  # fields already reported, so a formula is not also "required"
        # The ID number is checked by its kind, so it is read after the row's other cells.
        later = [(i, c) for i, c in enumerate(line) if i in self._id_columns]
        for index, cell in [*((i, c) for i, c in enumerate(line) if i not in self._id_columns), *later]:
            column = columns.get(index)
            empty = cell.value is None or cells.text(cell.value) == ""
            if column is None:
                if not empty and index not in self._unnamed:  # data under no header: once per column
                    self._unnamed.add(index)
                    self.report.add("UNKNOWN_HEADER", sheet=sheet.name, row=number, column=get_column_letter(index + 1),
                                    value=cells.text(cell.value)[:50], header=get_column_letter(index + 1))
                continue
            where = f"{get_column_letter(index + 1)} {column.header}"
            if cell.data_type == "f":
                flagged.add(column.field)
                self.report.add("FORMULA", sheet=sheet.name, row=number, column=where, value=str(cell.value)[:50])
            elif not empty:
                try:
                    values[column.field] = cells.convert(column, cell.value, _str(values.get("id_kind")))
                except cells.Bad as bad:
                    flagged.add(column.field)
                    shown = cells.shown(column, cell.value)
                    self.report.add(bad.code, sheet=sheet.name, row=number, column=where, value=shown, **bad.args_)
        for column in sheet.columns:
            if column.required and values[column.field] is None and column.field not in flagged:
                self.report.add("REQUIRED", sheet=sheet.name, row=number, column=_where(columns, column))
        self._cross_checks(sheet, columns, number, values)
        if self.report.total > before:
            return None
        key = tuple(values[f] for f in sheet.natural_key)
        # A hash, not the key: 100,000 keys' text would cost tens of MB; a 64-bit collision is negligible.
        first = seen.setdefault(hash(key), number)
        if first != number:
            self.report.add("DUPLICATE_ROW", sheet=sheet.name, row=number, column=_where(columns, sheet.columns[0]), first=first)
            return None
        return Row(sheet.key, number, values)

    def _cross_checks(self, sheet: Sheet, columns: dict[int, Column], number: int, values: dict[str, cells.Value]) -> None:
        code = values.get("project_code")
        if code is not None and self._project_code is not None and code != self._project_code:
            self.report.add("OTHER_PROJECT", sheet=sheet.name, row=number, column=_where(columns, sheet.column("项目编码")),
                            value=str(code), found=code, target=self._project_code)
        moved_in, moved_out = values.get("moved_in_on"), values.get("moved_out_on")
        if moved_in is not None and moved_out is not None and str(moved_out) < str(moved_in):
            self.report.add("MOVED_OUT_BEFORE_IN", sheet=sheet.name, row=number, column=_where(columns, sheet.column("迁出日期")),
                            value=str(moved_out))


def open_workbook(source: Source, report: Report, *, project_code: str | None = None, max_bytes: int = MAX_BYTES,
                  known: tuple[Sheet, ...] = SHEETS) -> Workbook | None:
    """The workbook if the file passes the checks of §6.3 steps 1-2 (merged cells are reported, not refused here).
    `known`: the sheets this kind of import reads (the archive's, or another context's on the same pipeline)."""
    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    if size > max_bytes:
        report.add("TOO_LARGE", size=_mb(size), limit=_mb(max_bytes))
        return None
    with _stream(source) as f:
        head = f.read(4)
    if head == _OLE:
        report.add("NOT_XLSX")
        return None
    if head != _ZIP:
        report.add("NOT_A_WORKBOOK")
        return None
    try:
        with zipfile.ZipFile(_openable(source)) as archive:
            if not _sane(archive, report):
                return None
            paths = _sheet_paths(archive)
            sheets = [s for s in known if s.name in paths]
            if not sheets:
                report.add("NO_SHEETS", names="、".join(s.name for s in known))
                return None
            for sheet in sheets:
                _merged_cells(archive, paths[sheet.name], sheet, report)
        # data_only=False: a formula cell reads as type "f" and is refused, rather than reading empty.
        book = load_workbook(_openable(source), read_only=True, data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - a damaged zip or XML raises many kinds; each means "not a workbook"
        report.add("NOT_A_WORKBOOK")
        return None
    return Workbook(book, sheets, report, project_code)


def read_workbook(source: Source, *, project_code: str | None = None, max_bytes: int = MAX_BYTES,
                  known: tuple[Sheet, ...] = SHEETS) -> Parsed:
    """Every sheet's rows, all or nothing: with any problem, the report and no rows."""
    parsed = Parsed()
    book = open_workbook(source, parsed.report, project_code=project_code, max_bytes=max_bytes, known=known)
    if book is None:
        return parsed
    with book:
        for sheet in book.sheets:
            parsed.rows[sheet.key] = list(book.rows(sheet))
    if not parsed.report.clean:
        parsed.rows = {}
    return parsed


def _headers(sheet: Sheet, line: tuple[Any, ...], report: Report) -> dict[int, Column] | None:
    """Row 1's columns by index, or None (and the problems) when a header is missing, unknown or twice."""
    columns: dict[int, Column] = {}
    before = report.total
    for index, cell in enumerate(line):
        header = cells.text(cell.value).rstrip("*＊").strip() if cell.value is not None else ""
        if not header:
            continue
        where = f"{get_column_letter(index + 1)} {header}"
        column = sheet.column(header)
        if column is None:
            report.add("UNKNOWN_HEADER", sheet=sheet.name, row=1, column=where, value=header, header=header)
        elif column in columns.values():
            report.add("DUPLICATE_HEADER", sheet=sheet.name, row=1, column=where, value=header, header=header)
        else:
            columns[index] = column
    for column in sheet.columns:
        if column.required and column not in columns.values():
            report.add("MISSING_HEADER", sheet=sheet.name, row=1, header=column.header)
    return columns if report.total == before else None


def _sane(archive: zipfile.ZipFile, report: Report) -> bool:
    infos = archive.infolist()
    if sum(i.file_size for i in infos) > MAX_UNZIPPED or any(
            i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos):
        report.add("ZIP_BOMB")
        return False
    if "xl/workbook.xml" not in archive.namelist():
        report.add("NOT_A_WORKBOOK")
        return False
    return True


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name to its XML's path in the zip, from the workbook and its relationships."""
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    paths: dict[str, str] = {}
    for element in SafeET.fromstring(archive.read("xl/workbook.xml")).iter():
        if element.tag.endswith("}sheet"):
            target = targets.get(element.get(_REL), "")
            paths[element.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return paths


def _merged_cells(archive: zipfile.ZipFile, path: str, sheet: Sheet, report: Report) -> None:
    """Read-only openpyxl does not load merged ranges. They follow the rows in the sheet's XML, which
    is scanned for them chunk by chunk: parsing every cell a second time cost a third of the read."""
    carry = b""
    with archive.open(path) as xml:
        while True:
            chunk = xml.read(_CHUNK)
            text = carry + chunk
            # A tag cut by the chunk's end begins at its last "<": keep that part for the next chunk.
            cut = text.rfind(b"<") if chunk else len(text)
            for match in _MERGE.finditer(text, 0, max(cut, 0)):
                ref = match.group(1).decode()
                row = int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))
                report.add("MERGED_CELLS", sheet=sheet.name, row=row, column=ref, ref=ref)
            if not chunk:
                return
            carry = text[max(cut, 0):]


def _stream(source: Source) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")


def _openable(source: Source) -> IO[bytes] | str | os.PathLike[str]:
    """What zipfile and openpyxl open themselves (and so close): a path as it is, bytes as a buffer."""
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _where(columns: dict[int, Column], column: Column | None) -> str:
    index = next((i for i, c in columns.items() if c == column), None)
    if column is None or index is None:
        return column.header if column else ""
    return f"{get_column_letter(index + 1)} {column.header}"


def _str(value: cells.Value) -> str | None:
    return value if isinstance(value, str) else None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
