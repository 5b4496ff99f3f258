package ingest

import "testing"

func TestFurniture(t *testing.T) {
	tests := []struct {
		line string
		want bool
		meta pageMeta
	}{
		{"索 引 号 MB1534522/2023-05475 发文日期 2023-01-03", true, pageMeta{date: "2023-01-03"}},
		{"发布机构 区人民政府办公室 文    号 蔡政办〔2023〕1号", true, pageMeta{issuer: "区人民政府办公室", docNumber: "蔡政办〔2023〕1号"}},
		{"文 号 | 江政办〔2022〕1号 | 发文日期 | 2022-01-30 16:20 |", true, pageMeta{docNumber: "江政办〔2022〕1号", date: "2022-01-30"}},
		{"标 题 | 区人民政府办公室关于印发2022年区《政府工作报告》目标任务责任分解方案的通知 |", true,
			pageMeta{title: "区人民政府办公室关于印发2022年区《政府工作报告》目标任务责任分解方案的通知"}},
		{"---|---|---|---|", true, pageMeta{}},
		{"2023-01-05 10:00 区人民政府办公室", true, pageMeta{}},
		{"打印整页 打印内容 分享", true, pageMeta{}},
		{"【打印】【关闭】", true, pageMeta{}},
		{"字体：【 默认 超大 |", true, pageMeta{}},
		{"当前位置：首页 > 政务公开", true, pageMeta{}},
		{"> 政务公开 > 法定主动公开内容 > 规划计划 > 发展计划", true, pageMeta{}},
		{"扫一扫在手机打开当前页", true, pageMeta{}},
		{"来源广泛的社会资本参与基础设施建设。", false, pageMeta{}},
		{"标题党", false, pageMeta{}},
		{"1.地区生产总值增长6%左右。", false, pageMeta{}},
		{"2023年全区经济社会发展主要预期目标", false, pageMeta{}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			var m pageMeta
			got := furniture(foldPunct(cleanText(tt.line)), &m)
			if got != tt.want || m != tt.meta {
				t.Errorf("furniture(%q) = %v %+v, want %v %+v", tt.line, got, m, tt.want, tt.meta)
			}
		})
	}
}

func TestMasthead(t *testing.T) {
	for in, want := range map[string]string{
		"鞍山市立山区人民政府文件":     "鞍山市立山区人民政府",
		"常熟市人民政府办公室文件":     "常熟市人民政府办公室",
		"重庆市渝中区人民政府办公室 文件": "重庆市渝中区人民政府办公室",
		"关于印发某某文件的通知":      "",
		"文件":               "",
	} {
		got, ok := masthead(in)
		if got != want || ok != (want != "") {
			t.Errorf("masthead(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestStructure reads the head of documents laid out as the pages of other
// governments give them: the masthead, the page's title shown twice, the
// disclosure box, a notice that issues the document of the kind.
func TestStructure(t *testing.T) {
	tests := []struct {
		name, text                 string
		kind                       Kind
		title, docNumber, issuer   string
		year                       int
		wrappedLine, firstTaskLine int
	}{
		{
			name: "masthead and notice",
			text: "某某县人民政府办公室文件\n某府办发〔2024〕3号\n某某县人民政府办公室\n关于印发《某某县2024年重点工作任务分工方案》的通知\n" +
				"各乡镇人民政府，县政府各部门：\n现将《某某县2024年重点工作任务分工方案》印发给你们，请认真贯彻落实。\n" +
				"一、提高站位。各单位要高度重视。\n某某县人民政府办公室\n2024年2月1日\n" +
				"某某县2024年重点工作任务分工方案\n一、稳定经济增长\n1.地区生产总值增长6%左右。（县发展改革局牵头，县统计局配合）\n" +
				"2.固定资产投资增长8%。（县发展改革局负责）\n3.社会消费品零售总额增长7%。（县商务局牵头）\n",
			kind: KindDecomposition, title: "某某县人民政府办公室关于印发《某某县2024年重点工作任务分工方案》的通知",
			docNumber: "某府办发〔2024〕3号", issuer: "某某县人民政府办公室", year: 2024, firstTaskLine: 12,
		},
		{
			name: "web page",
			text: "区人民政府办公室关于印发2023年重点工作分解方案的通知\n\n区人民政府办公室关于印发2023年重点工作分解方案的通知\n" +
				"2023-01-05 10:00 区人民政府办公室\n索 引 号 MB1/2023-05475 发文日期 2023-01-03\n发布机构 区人民政府办公室 文    号 某政办〔2023〕1号\n" +
				"各街道办事处：\n现将方案印发给你们。\n某某区人民政府办公室\n2023年1月3日\n2023年重点工作分解方案\n" +
				"一、主要预期目标\n(一)地区生产总值增长7%以上\n责任单位:区发展和改革局\n(二)规上工业增加值增长12%以上\n责任单位:区科技和经信局\n" +
				"(三)固定资产投资增长10%以上\n责任单位:区发展和改革局\n",
			kind: KindDecomposition, title: "区人民政府办公室关于印发2023年重点工作分解方案的通知",
			docNumber: "某政办〔2023〕1号", issuer: "某某区人民政府办公室", year: 2023, firstTaskLine: 13,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := Extract("doc.txt", []byte(tt.text), DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if x.Kind != tt.kind || x.Title != tt.title || deref(x.DocNumber) != tt.docNumber || deref(x.Issuer) != tt.issuer ||
				x.Year == nil || *x.Year != tt.year {
				t.Errorf("got kind %s title %q doc number %q issuer %q year %v", x.Kind, x.Title, deref(x.DocNumber), deref(x.Issuer), x.Year)
			}
			if len(x.Tasks) != 3 || x.Tasks[0].Line != tt.firstTaskLine {
				t.Errorf("tasks %+v, want three from line %d", x.Tasks, tt.firstTaskLine)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
