package draft

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/ingest"
)

func readDoc(t testing.TB, path string) *ingest.Doc {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ingest.Read(path[strings.LastIndex(path, "/")+1:], data, ingest.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestSplitWorkReport(t *testing.T) {
	year := 2021
	tasks, warns := Split(readDoc(t, "../testdata/003_01cb3e3d49b1f6f6.txt"), &year)
	if len(warns) != 0 {
		t.Errorf("warnings %v, want none: the report marks its plan part", warns)
	}
	type brief struct {
		Section string
		Number  int
		Line    int
		Prefix  string
	}
	var got []brief
	for _, tk := range tasks[:7] {
		got = append(got, brief{tk.Section, tk.Number, tk.Line, string([]rune(tk.Content)[:8])})
	}
	want := []brief{
		{"一、主要预期目标", 1, 121, "地区生产总值增长"},
		{"一、主要预期目标", 2, 121, "区级一般公共预算"},
		{"一、主要预期目标", 3, 121, "固定资产投资总额"},
		{"一、主要预期目标", 4, 121, "社会消费品零售总"},
		{"一、主要预期目标", 5, 121, "城镇居民人均可支"},
		{"二、坚持增动力、添活力，切实增强发展后劲", 1, 125, "强化创新意识，优"},
		{"二、坚持增动力、添活力，切实增强发展后劲", 2, 125, "强化人才支撑，实"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first tasks mismatch (-want +got):\n%s", diff)
	}
	for _, tk := range tasks {
		if tk.Line < 119 {
			t.Errorf("task from line %d, before the plan part (line 119): %.30s", tk.Line, tk.Content)
		}
	}
	if n := len(tasks[0].Targets); n != 1 || *tasks[0].Targets[0].Value != 6 || tasks[0].Targets[0].Op != ingest.OpApprox {
		t.Errorf("first task's targets %+v, want GDP approx 6", tasks[0].Targets)
	}
	if s := tasks[5].Subsection; s == nil || *s != "激发创新注入动力" {
		t.Errorf("subsection %v, want 激发创新注入动力", s)
	}
}

func TestSplitWithoutHeading(t *testing.T) {
	text := "今年全区经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%。\n\n" +
		"（一）加快产业升级。\n\n培育新兴产业。新建5G基站1000个，推动数字经济核心产业增加值增长10%以上。加快建设科技园区，引进研发机构20家。\n"
	doc, err := ingest.ReadText("x.txt", []byte(text), ingest.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	tasks, warns := Split(doc, nil)
	if len(warns) != 1 || !strings.Contains(warns[0].Message, "预期目标") {
		t.Errorf("warnings %v, want one saying where the plan was taken from", warns)
	}
	var got []string
	for _, tk := range tasks {
		got = append(got, tk.Section+"|"+tk.Content)
	}
	want := []string{
		"一、主要预期目标|地区生产总值增长6%左右。",
		"一、主要预期目标|一般公共预算收入增长5%。",
		"二、加快产业升级|新建5G基站1000个，推动数字经济核心产业增加值增长10%以上。",
		"二、加快产业升级|加快建设科技园区，引进研发机构20家。",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tasks mismatch (-want +got):\n%s", diff)
	}
}

func TestSentences(t *testing.T) {
	got := sentences("打造“重庆客厅。”推进建设！完成任务")
	want := []string{"打造“重庆客厅。”", "推进建设！", "完成任务"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sentences mismatch (-want +got):\n%s", diff)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("三、2024年工作安排\n今年主要预期目标是：地区生产总值增长6%左右，收入增长5%。\n（一）发展产业。\n培育产业。新建学校2所；改造道路10公里。\n")
	f.Add("（一）\n。。。\n各位代表！\n名词解释\n")
	f.Add("一、\n目标是：\n\t表格\n")
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := ingest.ReadText("f.txt", []byte(text), ingest.DefaultLimits)
		if err != nil {
			return
		}
		year := 2024
		tasks, _ := Split(doc, &year)
		for _, tk := range tasks {
			if strings.TrimSpace(tk.Content) == "" || tk.Number < 1 || tk.Section == "" {
				t.Fatalf("bad task %+v", tk)
			}
		}
	})
}
