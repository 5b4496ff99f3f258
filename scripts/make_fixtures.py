#!/usr/bin/env python3
"""Write flat ODF documents (.fodt, .fods) for the ingest test fixtures.

make-fixtures runs this, then converts the files to .docx and .xlsx with
LibreOffice. Flat ODF is used rather than HTML because LibreOffice's HTML
import collapses runs of spaces ("陈  平" would become "陈 平"), while ODF
keeps them (<text:s text:c="2"/>) and keeps merged cells exactly.

Usage: make_fixtures.py SEED OUTDIR

SEED is shared/seeds/002_*.txt. Its table format: a cell starts with a TAB at
line start; a line without a leading TAB continues the cell above; a row ends
at an empty line; a line holding only a TAB is an empty cell.

Written to OUTDIR:
  decomposition_002.fodt  the whole notice: paragraphs, title and the table
  decomposition_002.fods  the table: title row, header row and all rows
  ooxml_features.fodt     small document for the reader's unit tests
  ooxml_features.fods     small workbook for the reader's unit tests
"""

import os
import re
import sys
from xml.sax.saxutils import escape

COLUMNS = 5  # sub-group, 任务内容, 责任区领导, 牵头单位, 责任单位

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'office:version="1.3"'
)

BOOKMARK = "[bookmark: _GoBack]"


def text(s):
    """ODF inline text: runs of spaces and tabs become <text:s>/<text:tab>."""
    out = []
    for part in re.split(r"( {2,}|\t|^ )", s):
        if part == "":
            continue
        if part == "\t":
            out.append("<text:tab/>")
        elif part.strip(" ") == "" and (len(part) > 1 or not out):
            out.append('<text:s text:c="%d"/>' % len(part))
        else:
            out.append(escape(part))
    return "".join(out)


def para(s, style="P", bookmark=True):
    """One <text:p>. A "[bookmark: _GoBack]" marker (what Word's text export
    writes for its hidden bookmark) becomes a real bookmark again."""
    if BOOKMARK in s:
        before, after = s.split(BOOKMARK, 1)
        mark = '<text:bookmark text:name="_GoBack"/>' if bookmark else ""
        return '<text:p text:style-name="%s">%s%s%s</text:p>' % (
            style, text(before), mark, text(after))
    return '<text:p text:style-name="%s">%s</text:p>' % (style, text(s))


def read_seed(path):
    """Return (paragraphs before the table, table rows). A row is a list of
    cells, a cell a list of lines."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("\t"))
    before = lines[:start]
    while before and before[-1] == "":
        before.pop()
    rows, cur = [], []
    for l in lines[start:]:
        if l == "":
            if cur:
                rows.append(cur)
                cur = []
        elif l.startswith("\t"):
            cur.append([l[1:]])
        elif cur:
            cur[-1].append(l)
        else:
            sys.exit("make_fixtures: text outside a table cell: %r" % l)
    if cur:
        rows.append(cur)
    return before, rows


def layout(rows):
    """Place the seed's rows on a 5-column grid. Returns rows of
    (lines, colspan, rowspan) with None for a covered grid position."""
    grid = []
    for cells in rows:
        if len(cells) == 4 and cells[0] == [""]:
            # The file's last row lost its trailing empty 责任单位 cell.
            cells = cells + [[""]]
        if len(cells) == 1:  # section heading across the whole table
            grid.append([(cells[0], COLUMNS, 1)] + [None] * (COLUMNS - 1))
        elif len(cells) == 4:  # header and section 一: no sub-group column
            grid.append([(cells[0], 2, 1), None] + [(c, 1, 1) for c in cells[1:]])
        elif len(cells) == 5:
            grid.append([(c, 1, 1) for c in cells])
        else:
            sys.exit("make_fixtures: row with %d cells: %r" % (len(cells), cells))
    # A sub-group cell merges down over the following rows whose first cell
    # is empty.
    for i, row in enumerate(grid):
        first = row[0]
        if first is None or first[1] != 1 or first[0] == [""]:
            continue
        j = i + 1
        while j < len(grid) and grid[j][0] is not None and grid[j][0][1] == 1 \
                and grid[j][0][0] == [""]:
            grid[j][0] = None
            j += 1
        row[0] = (first[0], 1, j - i)
    return grid


def cell_xml(lines, colspan, rowspan, style, pstyle, value_type=True):
    empty = lines == [""]
    attrs = ' table:style-name="%s"' % style
    if colspan > 1:
        attrs += ' table:number-columns-spanned="%d"' % colspan
    if rowspan > 1:
        attrs += ' table:number-rows-spanned="%d"' % rowspan
    if value_type and empty:
        # An empty spreadsheet cell holds no paragraph at all.
        return "<table:table-cell%s/>" % attrs
    if value_type:
        attrs += ' office:value-type="string"'
    body = "".join(para(l, pstyle, bookmark=not value_type) for l in lines)
    return "<table:table-cell%s>%s</table:table-cell>" % (attrs, body)


def table_rows(grid, calc):
    out = []
    for row in grid:
        cells = []
        for pos in row:
            if pos is None:
                cells.append("<table:covered-table-cell/>")
                continue
            lines, colspan, rowspan = pos
            if calc:
                lines = [l.replace(BOOKMARK, "") for l in lines]
                cells.append(cell_xml(lines, colspan, rowspan, "ce1", "P", True))
            else:
                cells.append(cell_xml(lines, colspan, rowspan, "Cell", "TP", False))
        out.append("<table:table-row%s>%s</table:table-row>" % (
            "" if not calc else ' table:style-name="ro1"', "".join(cells)))
    return "\n".join(out)


TEXT_STYLES = """
<office:font-face-decls>
 <style:font-face style:name="仿宋_GB2312" svg:font-family="仿宋_GB2312"/>
 <style:font-face style:name="方正小标宋简体" svg:font-family="方正小标宋简体"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:text-properties style:font-name="仿宋_GB2312" style:font-name-asian="仿宋_GB2312" fo:font-size="16pt" style:font-size-asian="16pt"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="A4">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="3.7cm" fo:margin-bottom="3.5cm" fo:margin-left="2.8cm" fo:margin-right="2.6cm"/>
 </style:page-layout>
 <style:style style:name="P" style:family="paragraph" style:parent-style-name="Standard"/>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties style:font-name="方正小标宋简体" style:font-name-asian="方正小标宋简体" fo:font-size="22pt" style:font-size-asian="22pt"/>
 </style:style>
 <style:style style:name="TP" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties fo:font-size="10.5pt" style:font-size-asian="10.5pt"/>
 </style:style>
 <style:style style:name="Tbl" style:family="table">
  <style:table-properties style:width="15.6cm" table:align="center"/>
 </style:style>
 <style:style style:name="ColA" style:family="table-column"><style:table-column-properties style:column-width="2.2cm"/></style:style>
 <style:style style:name="ColB" style:family="table-column"><style:table-column-properties style:column-width="6.4cm"/></style:style>
 <style:style style:name="ColC" style:family="table-column"><style:table-column-properties style:column-width="1.8cm"/></style:style>
 <style:style style:name="ColD" style:family="table-column"><style:table-column-properties style:column-width="2.2cm"/></style:style>
 <style:style style:name="ColE" style:family="table-column"><style:table-column-properties style:column-width="3.0cm"/></style:style>
 <style:style style:name="Cell" style:family="table-cell">
  <style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.05cm" style:vertical-align="middle"/>
 </style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="A4"/>
</office:master-styles>
"""

CALC_STYLES = """
<office:font-face-decls>
 <style:font-face style:name="仿宋_GB2312" svg:font-family="仿宋_GB2312"/>
</office:font-face-decls>
<office:automatic-styles>
 <style:style style:name="coA" style:family="table-column"><style:table-column-properties style:column-width="2.5cm"/></style:style>
 <style:style style:name="coB" style:family="table-column"><style:table-column-properties style:column-width="9cm"/></style:style>
 <style:style style:name="coC" style:family="table-column"><style:table-column-properties style:column-width="2.5cm"/></style:style>
 <style:style style:name="coE" style:family="table-column"><style:table-column-properties style:column-width="5cm"/></style:style>
 <style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:use-optimal-row-height="true"/></style:style>
 <style:style style:name="ce1" style:family="table-cell">
  <style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="middle" fo:border="0.5pt solid #000000"/>
  <style:text-properties style:font-name="仿宋_GB2312" style:font-name-asian="仿宋_GB2312"/>
 </style:style>
 <number:number-style style:name="N2"><number:number number:decimal-places="2" number:min-integer-digits="1"/></number:number-style>
 <number:percentage-style style:name="N10"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
 <number:date-style style:name="N37"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
 <style:style style:name="ceN2" style:family="table-cell" style:data-style-name="N2"/>
 <style:style style:name="ceP" style:family="table-cell" style:data-style-name="N10"/>
 <style:style style:name="ceD" style:family="table-cell" style:data-style-name="N37"/>
</office:automatic-styles>
"""


def write(path, s):
    with open(path, "w", encoding="utf-8") as f:
        f.write(s)


def decomposition_fodt(before, grid):
    body = []
    for l in before:
        body.append(para(l))
    # The last paragraph before the table is its title.
    body[-1] = para(before[-1], "Title")
    body.append('<table:table table:name="任务分解" table:style-name="Tbl">')
    for c in "ABCDE":
        body.append('<table:table-column table:style-name="Col%s"/>' % c)
    body.append(table_rows(grid, calc=False))
    body.append("</table:table>")
    body.append(para(""))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s '
            'office:mimetype="application/vnd.oasis.opendocument.text">%s'
            '<office:body><office:text>\n%s\n</office:text></office:body>'
            '</office:document>\n') % (NS, TEXT_STYLES, "\n".join(body))


def decomposition_fods(title, grid):
    rows = [[(([title]), COLUMNS, 1)] + [None] * (COLUMNS - 1)] + grid
    body = ['<table:table table:name="任务分解">']
    for c in "ABCCE":
        body.append('<table:table-column table:style-name="co%s" '
                    'table:default-cell-style-name="ce1"/>' % c)
    body.append(table_rows(rows, calc=True))
    body.append("</table:table>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">%s'
            '<office:body><office:spreadsheet>\n%s\n</office:spreadsheet>'
            '</office:body></office:document>\n') % (NS, CALC_STYLES, "\n".join(body))


# The unit-test document: one of each thing the .docx reader must handle, as
# LibreOffice writes it. docx_test.go states what it must read back.
FEATURES_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document %s office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text>
<text:tracked-changes>
 <text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>审校</dc:creator><dc:date>2024-01-20T10:00:00</dc:date></office:change-info><text:p>已删除</text:p></text:deletion></text:changed-region>
 <text:changed-region text:id="ct2"><text:insertion><office:change-info><dc:creator>审校</dc:creator><dc:date>2024-01-20T10:00:00</dc:date></office:change-info></text:insertion></text:changed-region>
</text:tracked-changes>
<text:p>渝中府办〔2024〕2号</text:p>
<text:p>第一段<text:tab/>有制表符<text:line-break/>和换行</text:p>
<text:p/>
<text:p>地区生产总值增长6%%左右<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>按可比价格计算。</text:p></text:note-body></text:note>，收入增长6%%<text:note text:id="ftn2" text:note-class="footnote"><text:note-citation>2</text:note-citation><text:note-body><text:p>一般公共预算收入。</text:p><text:p>第二段说明。</text:p></text:note-body></text:note>。</text:p>
<text:p>保留<text:change text:change-id="ct1"/>这段<text:change-start text:change-id="ct2"/>新增<text:change-end text:change-id="ct2"/>文字</text:p>
<text:p>详见<text:a xlink:type="simple" xlink:href="https://www.cqyz.gov.cn/">渝中区政府网</text:a>。第<text:page-number text:select-page="current">1</text:page-number>页</text:p>
<text:p>2023‑2025年</text:p>
<table:table table:name="T1">
 <table:table-column table:number-columns-repeated="3"/>
 <table:table-row>
  <table:table-cell table:number-columns-spanned="2"><text:p>任务内容</text:p></table:table-cell><table:covered-table-cell/>
  <table:table-cell><text:p>责任区领导</text:p></table:table-cell>
 </table:table-row>
 <table:table-row>
  <table:table-cell table:number-rows-spanned="2"><text:p>强化“双千亿”</text:p><text:p>极核引领带动</text:p></table:table-cell>
  <table:table-cell><text:p/><text:p>1.第一项任务。</text:p><text:p/><text:p>（备注）</text:p><text:p/></table:table-cell>
  <table:table-cell><text:p>邓光怀</text:p><text:p>陈<text:s text:c="2"/>平</text:p></table:table-cell>
 </table:table-row>
 <table:table-row>
  <table:covered-table-cell/>
  <table:table-cell><text:p>2.第二项任务。</text:p></table:table-cell>
  <table:table-cell>
   <table:table table:name="T2">
    <table:table-column table:number-columns-repeated="2"/>
    <table:table-row><table:table-cell><text:p>嵌套甲</text:p></table:table-cell><table:table-cell><text:p>嵌套乙</text:p></table:table-cell></table:table-row>
   </table:table>
   <text:p>梁<text:s text:c="2"/>栋</text:p>
  </table:table-cell>
 </table:table-row>
</table:table>
<text:p>完</text:p>
</office:text></office:body></office:document>
""" % NS

FEATURES_FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document %s office:mimetype="application/vnd.oasis.opendocument.spreadsheet">%s
<office:body><office:spreadsheet>
<table:table table:name="指标">
 <table:table-column table:number-columns-repeated="5"/>
 <table:table-row>
  <table:table-cell office:value-type="string" table:number-columns-spanned="3" table:number-rows-spanned="2"><text:p>合并标题</text:p></table:table-cell>
  <table:covered-table-cell table:number-columns-repeated="2"/>
  <table:table-cell office:value-type="string"><text:p>第一行</text:p><text:p>第二行</text:p></table:table-cell>
 </table:table-row>
 <table:table-row>
  <table:covered-table-cell table:number-columns-repeated="3"/>
  <table:table-cell office:value-type="string"><text:p>陈<text:s text:c="2"/>平</text:p></table:table-cell>
 </table:table-row>
 <table:table-row>
  <table:table-cell office:value-type="float" office:value="6"><text:p>6</text:p></table:table-cell>
  <table:table-cell office:value-type="float" office:value="0.0043"><text:p>0.0043</text:p></table:table-cell>
  <table:table-cell table:style-name="ceN2" office:value-type="float" office:value="7.5"><text:p>7.50</text:p></table:table-cell>
  <table:table-cell table:style-name="ceP" office:value-type="percentage" office:value="0.065"><text:p>6.5%%</text:p></table:table-cell>
  <table:table-cell table:formula="of:=0.1+0.2" office:value-type="float" office:value="0.3"><text:p>0.3</text:p></table:table-cell>
 </table:table-row>
 <table:table-row>
  <table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
  <table:table-cell table:number-columns-repeated="2"/>
  <table:table-cell table:style-name="ceD" office:value-type="date" office:date-value="2024-01-25"><text:p>2024-01-25</text:p></table:table-cell>
  <table:table-cell office:value-type="string"><text:p>第一行</text:p><text:p>第二行</text:p></table:table-cell>
 </table:table-row>
 <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="5"/></table:table-row>
 <table:table-row>
  <table:table-cell/>
  <table:table-cell office:value-type="float" office:value="1100"><text:p>1100</text:p></table:table-cell>
  <table:table-cell office:value-type="float" office:value="-2.5E-7"><text:p>-2.5E-07</text:p></table:table-cell>
 </table:table-row>
</table:table>
<table:table table:name="空表"><table:table-column/><table:table-row><table:table-cell/></table:table-row></table:table>
<table:table table:name="第三页">
 <table:table-column table:number-columns-repeated="2"/>
 <table:table-row><table:table-cell office:value-type="string"><text:p>甲</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>乙</text:p></table:table-cell></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document>
""" % (NS, CALC_STYLES)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_fixtures.py SEED OUTDIR")
    seed, outdir = sys.argv[1], sys.argv[2]
    before, rows = read_seed(seed)
    grid = layout(rows)
    write(os.path.join(outdir, "decomposition_002.fodt"), decomposition_fodt(before, grid))
    write(os.path.join(outdir, "decomposition_002.fods"), decomposition_fods(before[-1], grid))
    write(os.path.join(outdir, "ooxml_features.fodt"), FEATURES_FODT)
    write(os.path.join(outdir, "ooxml_features.fods"), FEATURES_FODS)


if __name__ == "__main__":
    main()
