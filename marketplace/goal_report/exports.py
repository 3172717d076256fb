"""Any report table as CSV or XLSX.

CSV is UTF-8 with a byte-order mark, so Excel opens the Chinese text as Chinese; money is a
plain number with two decimals (12345.00, no ¥, no thousands separator) so a spreadsheet can
add it up. In XLSX money and percent cells are numbers formatted #,##0.00, integers are
numbers, and the total row is bold.
"""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from marketplace.goal_report.tables import INTEGER, MONEY, PERCENT, Table

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
TWO_PLACES = Decimal("0.01")
# Excel's limit on a sheet title.
SHEET_TITLE_LENGTH = 31


def _csv_value(kind: str, value) -> str:
    if value is None:
        return ""
    if kind in (MONEY, PERCENT):
        return str(Decimal(value).quantize(TWO_PLACES))
    return str(value)


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in table.columns])
    for row in table.typed_rows():
        writer.writerow([_csv_value(kind, value) for kind, value in row])
    return buffer.getvalue().encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:SHEET_TITLE_LENGTH]
    sheet.append([column.label for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    typed_rows = table.typed_rows()
    for row_number, row in enumerate(typed_rows, start=2):
        for column_number, (kind, value) in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if value is None:
                continue
            if kind in (MONEY, PERCENT):
                cell.value = Decimal(value).quantize(TWO_PLACES)
                cell.number_format = "#,##0.00"
            elif kind == INTEGER:
                cell.value = int(value)
                cell.number_format = "#,##0"
            else:
                cell.value = str(value)
    if table.footer is not None:
        for cell in sheet[len(typed_rows) + 1]:
            cell.font = Font(bold=True)
    for column_number, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=column_number).column_letter
        sheet.column_dimensions[letter].width = max(12, min(len(column.label) * 2 + 2, 50))
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
