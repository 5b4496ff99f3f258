package ingest_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"duban/ingest"
)

// FuzzExtractLayouts reads arbitrary text as a document, through every rule of
// the layouts (page furniture, mastheads, notices, flattened tables, numbered
// items with their responsibility, units written short): it never panics,
// every task and target points at a line of the text, and every name is
// valid UTF-8 and not empty.
func FuzzExtractLayouts(f *testing.F) {
	for _, s := range []string{
		"某县人民政府办公室文件\n某府办发〔2024〕3号\n关于印发《2024年重点工作分工方案》的通知\n各单位：\n2024年重点工作分工方案\n一、稳增长\n1.地区生产总值增长6%左右。（县发展改革局牵头，县统计局配合）\n2.投资增长8%。（县发展改革局负责）\n3.消费增长7%。（县商务局牵头）\n",
		"序号 | 主 要 工 作 任 务 | 责任单位 |\n1 | 地区生产总值增长6%左右。 | 市发展改革委 |\n2 | 研发投入强度达到3.5%。 | 市科技局 |\n",
		"序号\n民生实事\n责任单位\n完成时限\n1\n新建2座人行天桥。\n县住建局\n9月投入使用\n",
		"(一)地区生产总值增长7%以上\n责任单位:区发展和改革局\n(二)规上工业增加值增长12%以上\n责任单位:区科技和经信局\n",
		"索 引 号 MB1/2023-05475 发文日期 2023-01-03\n发布机构 区人民政府办公室 文    号 某政办〔2023〕1号\n",
		"市发展和改革委员会（以下简称市发展改革委）\n1.推进。（发展改革委牵头）\n",
		"3.5G基站\n（\n）\n1.\n（牵头单位：）\n|\n\t\t\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ingest.Extract("fuzz.txt", []byte(s), ingest.Limits{MaxFileBytes: 1 << 20, MaxUnpackedBytes: 1 << 20, MaxLineBytes: 64 << 10})
		if err != nil {
			return // refused with an error is fine; a panic is not
		}
		lines := strings.Count(s, "\n") + 1
		for _, task := range x.Tasks {
			if task.Line < 1 || task.Line > lines || task.EndLine > lines {
				t.Errorf("task on line %d–%d of %d lines", task.Line, task.EndLine, lines)
			}
			for _, names := range [][]string{task.Leaders, task.LeadUnits, task.ResponsibleUnits} {
				for _, n := range names {
					if n == "" || !utf8.ValidString(n) && utf8.ValidString(s) {
						t.Errorf("bad name %q", n)
					}
				}
			}
		}
		for _, g := range x.Targets {
			if g.Line < 1 || g.Line > lines {
				t.Errorf("target on line %d of %d lines", g.Line, lines)
			}
		}
	})
}
