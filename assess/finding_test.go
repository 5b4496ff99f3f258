package assess_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/assess"
	"duban/ingest"
)

// newDoc builds an extraction by hand: the targets of sentences and tasks are
// read by ingest, as they would be from a file.
func newDoc(source string, kind ingest.Kind, year int, issuer string) *ingest.Extraction {
	x := &ingest.Extraction{Source: source, Kind: kind, Year: &year, Title: source}
	if issuer != "" {
		x.Issuer = &issuer
	}
	return x
}

func addText(x *ingest.Extraction, line int, sentence string) {
	x.Targets = append(x.Targets, ingest.FindTargets(sentence, line, x.Year)...)
}

func addTask(x *ingest.Extraction, line, number int, content string) {
	x.Tasks = append(x.Tasks, ingest.Task{
		Section: "一、主要预期指标", Number: number, Content: content, Line: line,
		Targets: ingest.FindTargets(content, line, x.Year),
	})
}

// cell is one value of a table row: year, kind and text.
type cell struct {
	year int
	kind ingest.ValueKind
	text string
}

func addRow(x *ingest.Extraction, table string, line int, name, unit string, cells ...cell) {
	i := len(x.Tables) - 1
	if i < 0 || x.Tables[i].Title != table {
		x.Tables = append(x.Tables, ingest.IndicatorTable{Title: table})
		i++
	}
	ind := ingest.Indicator{Seq: len(x.Tables[i].Indicators) + 1, Name: name, Unit: unit, Line: line}
	for _, c := range cells {
		y := c.year
		ind.Values = append(ind.Values, ingest.IndicatorValue{Year: &y, Kind: c.kind, Text: c.text, Expr: ingest.ParseExpr(c.text)})
	}
	x.Tables[i].Indicators = append(x.Tables[i].Indicators, ind)
}

func target(y int, text string) cell { return cell{y, ingest.ValueTarget, text} }
func actual(y int, text string) cell { return cell{y, ingest.ValueActual, text} }

func line(n int) *int { return &n }
func year(n int) *int { return &n }

func TestCheck(t *testing.T) {
	const gov = "某某市甲区人民政府"
	wr := newDoc("wr.txt", ingest.KindWorkReport, 2024, gov)
	addText(wr, 10, "地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内，社会消费品零售总额增长7%。")
	addText(wr, 11, "新增城镇就业3500人，新增学位2400个，实际使用外资4.5亿美元以上。")
	addText(wr, 12, "资金帮扶4000万元。")
	dec := newDoc("dec.txt", ingest.KindDecomposition, 2024, "某某市甲区人民政府办公室")
	addTask(dec, 20, 1, "地区生产总值增长6.5%左右。")
	addTask(dec, 25, 2, "城镇新增就业3500人，城镇调查失业率控制在5.5%以内。")
	addTask(dec, 30, 3, "全年资金帮扶0.4亿元，社会消费品零售总额增长7%。")
	pr := newDoc("pr.txt", ingest.KindPlanReport, 2025, gov)
	addRow(pr, "2024年主要目标完成情况表", 40, "地区生产总值（GDP）增速", "%", target(2024, "6左右"), actual(2024, "6.1"))
	addRow(pr, "2024年主要目标完成情况表", 41, "实际利用外资", "亿美元", target(2024, "＞4.5"), actual(2024, "4.6"))
	addRow(pr, "2024年主要目标完成情况表", 42, "社会消费品零售总额", "亿元", target(2024, "1100"), actual(2024, "1120"))
	addRow(pr, "2025年主要目标建议表", 50, "地区生产总值增速", "%", actual(2024, "6.3"), target(2025, "6左右"))
	addRow(pr, "2025年主要目标建议表", 51, "实际利用外资", "亿美元", actual(2024, "4.6左右"), target(2025, "5"))
	other := newDoc("other.txt", ingest.KindWorkReport, 2024, "某某市乙县人民政府")
	addText(other, 5, "地区生产总值增长8%。")

	got := assess.Check([]*ingest.Extraction{wr, dec, pr, other}, assess.DefaultSettings())
	want := []assess.Finding{
		{
			Kind: assess.FindingOutcomeMismatch, Severity: assess.SeverityError, Year: year(2024), Indicator: "地区生产总值（GDP）增速",
			A:       assess.Place{Source: "pr.txt", Line: line(40), Where: "2024年主要目标完成情况表", Name: "地区生产总值（GDP）增速", Text: "6.1"},
			B:       assess.Place{Source: "pr.txt", Line: line(50), Where: "2025年主要目标建议表", Name: "地区生产总值增速", Text: "6.3"},
			Message: "两张表的2024年完成情况数值不一致：“6.1”与“6.3”",
		},
		{
			Kind: assess.FindingTargetMismatch, Severity: assess.SeverityError, Year: year(2024), Indicator: "地区生产总值",
			A:       assess.Place{Source: "wr.txt", Line: line(10), Where: "正文", Name: "地区生产总值", Text: "地区生产总值增长6%左右"},
			B:       assess.Place{Source: "dec.txt", Line: line(20), Where: "一、主要预期指标 第1项", Name: "地区生产总值", Text: "地区生产总值增长6.5%左右"},
			Message: "2024年目标数值不一致：“6%左右”与“6.5%左右”",
		},
		{
			Kind: assess.FindingNoTask, Severity: assess.SeverityWarning, Year: year(2024), Indicator: "新增学位",
			A:       assess.Place{Source: "wr.txt", Line: line(11), Where: "正文", Name: "新增学位", Text: "新增学位2400个"},
			B:       assess.Place{Source: "dec.txt", Where: "dec.txt"},
			Message: "政府工作报告的目标“新增学位2400个”在任务分解中没有对应任务",
		},
		{
			Kind: assess.FindingNoTask, Severity: assess.SeverityWarning, Year: year(2024), Indicator: "实际使用外资",
			A:       assess.Place{Source: "wr.txt", Line: line(11), Where: "正文", Name: "实际使用外资", Text: "实际使用外资4.5亿美元以上"},
			B:       assess.Place{Source: "dec.txt", Where: "dec.txt"},
			Message: "政府工作报告的目标“实际使用外资4.5亿美元以上”在任务分解中没有对应任务",
		},
		{
			Kind: assess.FindingOutcomeMismatch, Severity: assess.SeverityNotice, Year: year(2024), Indicator: "实际利用外资",
			A:       assess.Place{Source: "pr.txt", Line: line(41), Where: "2024年主要目标完成情况表", Name: "实际利用外资", Text: "4.6"},
			B:       assess.Place{Source: "pr.txt", Line: line(51), Where: "2025年主要目标建议表", Name: "实际利用外资", Text: "4.6左右"},
			Message: "两张表的2024年完成情况数值相同、表述不同：“4.6”与“4.6左右”",
		},
		{
			Kind: assess.FindingTargetRestated, Severity: assess.SeverityNotice, Year: year(2024), Indicator: "实际使用外资",
			A:       assess.Place{Source: "wr.txt", Line: line(11), Where: "正文", Name: "实际使用外资", Text: "实际使用外资4.5亿美元以上"},
			B:       assess.Place{Source: "pr.txt", Line: line(41), Where: "2024年主要目标完成情况表", Name: "实际利用外资", Text: "＞4.5"},
			Message: "重述2024年目标时数值相同、表述不同：“4.5亿美元以上”与“＞4.5”",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckPairs(t *testing.T) {
	s := assess.DefaultSettings()
	tests := []struct {
		name     string
		wr, dec  string
		want     assess.Severity // "" for no finding
		wantKind assess.FindingKind
	}{
		{"same", "规模以上工业增加值增长8%。", "规模以上工业增加值增长8%。", "", ""},
		{"at least against more than", "一般公共预算收入增长5%以上。", "一般公共预算收入增长超过5%。", assess.SeverityNotice, assess.FindingTargetMismatch},
		{"bare against approx", "一般公共预算收入增长5%。", "一般公共预算收入增长5%左右。", assess.SeverityNotice, assess.FindingTargetMismatch},
		{"at least against at most", "粮食产量不低于18万吨。", "粮食产量不超过18万吨。", assess.SeverityError, assess.FindingTargetMismatch},
		{"units that convert", "资金帮扶4000万元。", "资金帮扶0.4亿元。", "", ""},
		{"units that convert, differing", "资金帮扶4000万元。", "资金帮扶0.5亿元。", assess.SeverityError, assess.FindingTargetMismatch},
		{"units of different things", "粮食产量18万吨。", "粮食产量18万亩。", "", ""},
		{"growth is not compared with a level", "社会消费品零售总额增长7%。", "社会消费品零售总额突破1100亿元。", "", ""},
		{"no task", "社会消费品零售总额增长7%。", "商圈营业收入突破1100亿元。", assess.SeverityWarning, assess.FindingNoTask},
		{"several under one name", "规上企业营业收入增长20%以上。规上企业营业收入增长35%以上。", "规上企业营业收入增长25%以上。", "", ""},
		{"one of several agrees", "规上企业营业收入增长20%以上。规上企业营业收入增长35%以上。", "规上企业营业收入增长35%以上。", "", ""},
		{"task by content", "完成市下达的节能减排任务，单位地区生产总值能耗降低完成市下达任务。", "完成市下达的节能减排任务，单位地区生产总值能耗降低完成市下达任务，加快绿色转型。", "", ""},
		{"a city task without a task", "完成市下达的节能减排任务。", "加快绿色转型。", assess.SeverityWarning, assess.FindingNoTask},
		{"city task against a figure", "单位地区生产总值能耗降低完成市下达任务。", "单位地区生产总值能耗降低3%。", assess.SeverityWarning, assess.FindingTargetMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wr := newDoc("wr.txt", ingest.KindWorkReport, 2024, "甲县人民政府")
			addText(wr, 1, tt.wr)
			dec := newDoc("dec.txt", ingest.KindDecomposition, 2024, "甲县人民政府办公室")
			addTask(dec, 1, 1, tt.dec)
			got := assess.Check([]*ingest.Extraction{wr, dec}, s)
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("got %d findings, want none: %+v", len(got), got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != tt.want || got[0].Kind != tt.wantKind {
				t.Errorf("got %+v, want one %s %s", got, tt.want, tt.wantKind)
			}
		})
	}
}

func TestCheckGovernments(t *testing.T) {
	mk := func(source, issuer, title string) *ingest.Extraction {
		x := newDoc(source, ingest.KindWorkReport, 2024, issuer)
		x.Title = title
		addText(x, 1, "地区生产总值增长6%。")
		return x
	}
	dec := func(issuer, title, content string) *ingest.Extraction {
		x := newDoc("dec.txt", ingest.KindDecomposition, 2024, issuer)
		x.Title = title
		addTask(x, 1, 1, content)
		return x
	}
	tests := []struct {
		name string
		docs []*ingest.Extraction
		want int
	}{
		{"same district, city named once", []*ingest.Extraction{mk("a.txt", "重庆市渝中区人民政府", ""), dec("渝中区人民政府办公室", "", "地区生产总值增长7%。")}, 1},
		{"other district", []*ingest.Extraction{mk("a.txt", "重庆市渝中区人民政府", ""), dec("重庆市江北区人民政府办公室", "", "地区生产总值增长7%。")}, 0},
		{"from the title", []*ingest.Extraction{mk("a.txt", "", "2024年云溪县人民政府工作报告"), dec("", "关于印发《甲县人民政府2024年重点工作》的通知", "地区生产总值增长7%。")}, 0},
		{"a title without an organ names no government", []*ingest.Extraction{mk("a.txt", "", "2024年云溪县人民政府工作报告"), dec("", "关于印发《云溪县2024年重点工作》的通知", "地区生产总值增长7%。")}, 1},
		{"title and issuer agree", []*ingest.Extraction{mk("a.txt", "", "2024年云溪县人民政府工作报告"), dec("云溪县人民政府办公室", "", "地区生产总值增长7%。")}, 1},
		{"unknown government is compared", []*ingest.Extraction{mk("a.txt", "", "政府工作报告"), dec("云溪县人民政府办公室", "", "地区生产总值增长7%。")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := assess.Check(tt.docs, assess.DefaultSettings()); len(got) != tt.want {
				t.Errorf("got %d findings, want %d: %+v", len(got), tt.want, got)
			}
		})
	}
}

func TestCheckEnglish(t *testing.T) {
	wr := newDoc("wr.txt", ingest.KindWorkReport, 2024, "甲县人民政府")
	addText(wr, 1, "一般公共预算收入增长5%以上，新增学位2400个。")
	dec := newDoc("dec.txt", ingest.KindDecomposition, 2024, "甲县人民政府办公室")
	addTask(dec, 1, 1, "一般公共预算收入增长6%。")
	got := assess.Check([]*ingest.Extraction{wr, dec}, assess.Settings{Lang: assess.LangEN})
	var msgs []string
	for _, f := range got {
		msgs = append(msgs, f.Message)
	}
	want := []string{
		"the 2024 target: the figures differ: “5%以上” and “6%”",
		"the work report's target “新增学位2400个” has no task in the decomposition",
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("messages mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckNothing(t *testing.T) {
	if got := assess.Check(nil, assess.DefaultSettings()); got == nil || len(got) != 0 {
		t.Errorf("Check(nil) = %#v, want an empty non-nil slice", got)
	}
}
