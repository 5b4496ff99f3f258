package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// indicatorRole is the role of an indicator table column.
type indicatorRole int

const (
	indOther indicatorRole = iota
	indSeq
	indCategory
	indName
	indUnit
	indAttribute
	indValue
)

var yearRE = regexp.MustCompile(`(19|20)\d{2}`)

func indicatorColumn(header string) indicatorRole {
	switch h := removeSpaces(header); {
	case strings.Contains(h, "序号"):
		return indSeq
	case strings.Contains(h, "类别"), strings.Contains(h, "分类"), strings.Contains(h, "领域"):
		return indCategory
	case strings.Contains(h, "名称"), h == "指标":
		return indName
	case h == "单位", strings.Contains(h, "计量单位"):
		return indUnit
	case strings.Contains(h, "属性"), strings.Contains(h, "性质"):
		return indAttribute
	case valueKind(h) != "":
		return indValue
	}
	return indOther
}

// valueKind tells a target column (计划目标, 预期目标) from an outcome column
// (完成情况, 实际完成).
func valueKind(h string) ValueKind {
	switch {
	case strings.Contains(h, "完成"), strings.Contains(h, "实际"), strings.Contains(h, "执行"):
		return ValueActual
	case strings.Contains(h, "目标"), strings.Contains(h, "计划"), strings.Contains(h, "预期"):
		return ValueTarget
	}
	return ""
}

// indicatorTable reads a table whose header names 指标名称 and at least one target
// or outcome column. It returns nil when the table is not such a table.
func indicatorTable(file string, t *Table, title string, line int) (*IndicatorTable, []Warning, error) {
	head := -1
	var roles []indicatorRole
	var columns []string
	for i, row := range t.Rows {
		roles, columns = roles[:0], columns[:0]
		hasName, hasValue := false, false
		for _, c := range row.Cells {
			h := joinLines(cleanText(c.Text))
			r := indicatorColumn(h)
			hasName = hasName || r == indName
			hasValue = hasValue || r == indValue
			for range c.Columns() {
				roles = append(roles, r)
				columns = append(columns, h)
			}
		}
		if hasName && hasValue {
			head = i
			break
		}
	}
	if head < 0 {
		return nil, nil, nil
	}
	out := &IndicatorTable{Title: title, Columns: dedupe(columns), Indicators: []Indicator{}, Remarks: []string{}, Line: line}
	rows, warnings := regroupRows(t.Rows[head+1:], len(roles))
	category := ""
	for _, row := range rows {
		cells := expandCells(row.Cells)
		if len(cells) != len(roles) {
			return nil, nil, &Error{File: file, Line: row.Line, Msg: fmt.Sprintf("指标表行的单元格数为 %d，与表头的 %d 列不符", len(cells), len(roles))}
		}
		ind := Indicator{Values: []IndicatorValue{}, Line: row.Line}
		for i, c := range cells {
			text := removeSpaces(joinLines(cleanText(c.Text)))
			switch roles[i] {
			case indSeq:
				ind.Seq, _ = strconv.Atoi(strings.Trim(text, ".、"))
			case indCategory:
				if text != "" {
					category = text
				}
				ind.Category = category
			case indName:
				ind.Name = text
			case indUnit:
				ind.Unit = text
			case indAttribute:
				ind.Attribute = text
			case indValue:
				v := IndicatorValue{Column: columns[i], Kind: valueKind(columns[i]), Text: text, Expr: ParseExpr(text)}
				if y := yearRE.FindString(columns[i]); y != "" {
					n, _ := strconv.Atoi(y)
					v.Year = &n
				}
				ind.Values = append(ind.Values, v)
			}
		}
		if ind.Name == "" {
			warnings = append(warnings, Warning{Line: row.Line, Message: "指标表中有一行没有指标名称，已跳过"})
			continue
		}
		out.Indicators = append(out.Indicators, ind)
	}
	return out, warnings, nil
}

// expandCells repeats a cell spanning several columns, so every row has one entry
// per grid column.
func expandCells(cells []Cell) []Cell {
	out := make([]Cell, 0, len(cells))
	for _, c := range cells {
		out = append(out, c)
		for range c.Columns() - 1 {
			out = append(out, Cell{Line: c.Line, Merged: true})
		}
	}
	return out
}

// regroupRows repairs rows of a plain-text table whose blank lines did not fall
// on row boundaries: when the rows do not all have the header's width, the cells
// are dealt out again by that width, which is what the table's structure says.
func regroupRows(rows []Row, width int) ([]Row, []Warning) {
	total, uneven := 0, false
	for _, r := range rows {
		n := len(expandCells(r.Cells))
		total += n
		uneven = uneven || n != width
	}
	if !uneven || width == 0 || total%width != 0 {
		return rows, nil
	}
	var out []Row
	var cur Row
	for _, r := range rows {
		for _, c := range r.Cells {
			if len(cur.Cells) == 0 {
				cur.Line = c.Line
			}
			cur.Cells = append(cur.Cells, c)
			if len(expandCells(cur.Cells)) == width {
				out = append(out, cur)
				cur = Row{}
			}
		}
	}
	return out, []Warning{{Line: rows[0].Line, Message: "表格行的分隔不规则，已按表头列数重新分行"}}
}

func dedupe(columns []string) []string {
	out := make([]string, 0, len(columns))
	for i, c := range columns {
		if i > 0 && c == columns[i-1] {
			continue
		}
		out = append(out, c)
	}
	return out
}
