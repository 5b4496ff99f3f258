package ingest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDuty(t *testing.T) {
	type want struct {
		Leaders, Lead, Others []string
		Deadline              string
	}
	tests := []struct {
		name string
		in   string
		want *want // nil: not a responsibility
	}{
		{"labels", "牵头单位：市发展改革委；配合单位：市财政局、市商务局，各县（市、区）",
			&want{nil, []string{"市发展改革委"}, []string{"市财政局", "市商务局", "各县（市、区）"}, ""}},
		{"verbs", "市发展改革委牵头，市财政局、市商务局按职责分工负责，各县（市、区）政府结合实际落实",
			&want{nil, []string{"市发展改革委"}, []string{"市财政局", "市商务局", "各县（市、区）政府"}, ""}},
		{"alone", "区教育局负责", &want{nil, []string{"区教育局"}, nil, ""}},
		{"responsible label alone", "责任单位：区发展和改革局", &want{nil, []string{"区发展和改革局"}, nil, ""}},
		{"responsible beside lead", "牵头单位：区住建局，责任单位：区财政局、各街道",
			&want{nil, []string{"区住建局"}, []string{"区财政局", "各街道"}, ""}},
		{"several answer", "国家发展改革委、工业和信息化部等按职责分工负责",
			&want{nil, []string{"国家发展改革委", "工业和信息化部等"}, nil, ""}},
		{"together with", "市教育局会同市财政局负责", &want{nil, []string{"市教育局"}, []string{"市财政局"}, ""}},
		{"joined by and", "市发展改革委和市财政局牵头", &want{nil, []string{"市发展改革委", "市财政局"}, nil, ""}},
		{"and inside a name", "市住房和城乡建设局牵头", &want{nil, []string{"市住房和城乡建设局"}, nil, ""}},
		{"leader and deadline", "责任领导：张  三；牵头单位：区发改委；完成时限：2024年12月底",
			&want{[]string{"张三"}, []string{"区发改委"}, nil, "2024年12月底"}},
		{"remark", "含驻区单位", nil},
		{"sentence", "由区政府统一牵头协调，确保按期完成", nil},
		{"number", "2024年底前完成", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := parseDuty(tt.in)
			if tt.want == nil {
				if ok {
					t.Fatalf("parseDuty(%q) = %+v, want no responsibility", tt.in, d)
				}
				return
			}
			if !ok {
				t.Fatalf("parseDuty(%q) found no responsibility", tt.in)
			}
			lead, others := d.units()
			got := want{d.leaders, lead, others, d.deadline}
			if len(got.Others) == 0 {
				got.Others = nil
			}
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("parseDuty(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestReadMarker(t *testing.T) {
	tests := []struct {
		in         string
		kind       markerKind
		n          int
		rest       string
		digitAfter bool
	}{
		{"一、主要预期目标", markHanComma, 1, "主要预期目标", false},
		{"十二、加强政府自身建设", markHanComma, 12, "加强政府自身建设", false},
		{"（三）地区生产总值增长7%以上", markHanParen, 3, "地区生产总值增长7%以上", false},
		{"(一)地区生产总值", markHanParen, 1, "地区生产总值", false},
		{"12.推进", markDigitDot, 12, "推进", false},
		{"3、推进", markDigitDot, 3, "推进", false},
		{"3.5G基站", markDigitDot, 3, "5G基站", true},
		{"（2）推进", markDigitParen, 2, "推进", false},
		{"2）推进", markDigitParen, 2, "推进", false},
		{"①推进", markCircled, 1, "推进", false},
		{"2024年", markNone, 0, "2024年", false},
		{"1、2号线", markNone, 0, "1、2号线", false},
		{"一是推进", markNone, 0, "一是推进", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m := readMarker(tt.in)
			if m.kind != tt.kind || m.n != tt.n || tt.in[m.size:] != tt.rest || m.digitAfter != tt.digitAfter {
				t.Errorf("readMarker(%q) = %+v (rest %q), want kind %d n %d rest %q", tt.in, m, tt.in[m.size:], tt.kind, tt.n, tt.rest)
			}
		})
	}
}

func TestItemTask(t *testing.T) {
	got := ItemTask("3.加快建设5G基站1000个。(市通信管理局牵头,市经济和信息化局、各县(市、区)政府按职责分工负责)", 7, new(2024))
	if got.Number != 3 || got.Content != "加快建设5G基站1000个。" || got.Line != 7 {
		t.Errorf("ItemTask: number %d, content %q, line %d", got.Number, got.Content, got.Line)
	}
	if diff := cmp.Diff([]string{"市通信管理局"}, got.LeadUnits); diff != "" {
		t.Errorf("lead units (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"市经济和信息化局", "各县（市、区）政府"}, got.ResponsibleUnits); diff != "" {
		t.Errorf("responsible units (-want +got):\n%s", diff)
	}
	if len(got.Targets) != 1 || *got.Targets[0].Value != 1000 {
		t.Errorf("targets: %+v", got.Targets)
	}
}

func TestAbbreviationOf(t *testing.T) {
	tests := []struct {
		short, long string
		want        bool
	}{
		{"发展改革委", "市发展和改革委员会", true},
		{"市发展改革委", "市发展和改革委员会", true},
		{"市住房城乡建设局", "市住房和城乡建设局", true},
		{"区委办", "区委办公室", true},
		{"区委办", "区委编办", false},
		{"区政服办", "区政务服务办", false},
		{"区发改委", "市发展和改革委员会", false},
		{"市教育局", "市教育和体育局", false},
		{"市财政局", "市财政局", false},
	}
	for _, tt := range tests {
		if got := abbreviationOf(tt.short, tt.long); got != tt.want {
			t.Errorf("abbreviationOf(%q, %q) = %v, want %v", tt.short, tt.long, got, tt.want)
		}
	}
}

func TestResolveUnits(t *testing.T) {
	text := "1.推进项目建设。（牵头单位：市发展和改革委员会，配合单位：市住房和城乡建设局）\n" +
		"2.优化营商环境。（发展改革委牵头，市住房城乡建设局、区委办按职责分工负责）\n" +
		"市人力资源和社会保障局（以下简称市人社局）负责人才工作。\n" +
		"3.稳定就业。（市人社局负责）\n"
	x, err := Extract("units.txt", []byte(text), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, task := range x.Tasks {
		got = append(got, append(append([]string{}, task.LeadUnits...), task.ResponsibleUnits...))
	}
	want := [][]string{
		{"市发展和改革委员会", "市住房和城乡建设局"},
		{"市发展和改革委员会", "市住房和城乡建设局", "区委办"},
		{"市人力资源和社会保障局"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
}
