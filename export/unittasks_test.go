package export_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"duban"
	"duban/export"
)

// unitProgress is what 区商务委 reported on its first tasks of the 2024
// decomposition, by the task's place in it; the others keep seedTasks'.
var unitProgress = map[int]string{
	3:  longProgress,
	5:  "配合解放碑CBD管委会完成“一轴、一环、百巷”商业业态规划，梳理低效商业空间12处，形成调改清单。",
	6:  "负面业态清单已印发实施；渝都万豪摩斯亚太旗舰店已开业，新华时尚城主体工程完工，计划12月开业。",
	38: "1—10月新引进首店品牌42家，其中全国首店3家、西南首店11家；与国际知名奢侈品集团开展对接8次，2个品牌旗舰店进入装修阶段。",
	10: "朝天门市场商场一体化运行方案已报区政府审定，采购贸易拓展试点完成备案企业26家，渝派服饰原创设计销售中心完成选址。",
	12: "配合完成戴家巷—国泰艺术中心等连廊方案论证，已开工连廊9条、建成3条。",
}

// sampleUnitTasks is the task list of 区商务委: the 32 tasks of the 2024
// decomposition it leads or supports.
func sampleUnitTasks(t *testing.T) export.UnitTasksInput {
	t.Helper()
	x := seedExtraction(t, "002_df832bfe8d5b9f39.txt")
	all, reports := seedTasks(t, x, 1, 1, len(x.Tasks))
	var tasks []*duban.Task
	for i, task := range all {
		if !slices.Contains(task.LeadUnits, "区商务委") && !slices.Contains(task.ResponsibleUnits, "区商务委") {
			continue
		}
		if p, ok := unitProgress[i]; ok && reports[task.ID] != nil {
			reports[task.ID].Progress = p
		}
		tasks = append(tasks, task)
	}
	return export.UnitTasksInput{
		OrgName: "渝中区", Year: 2024, Unit: "区商务委", Tasks: tasks, Reports: reports, Date: exportTime,
	}
}

func TestUnitTasksText(t *testing.T) {
	u := sampleUnitTasks(t)
	text := documentText(t, docxBytes(t, func(w *bytes.Buffer) error { return export.UnitTasks(w, u) }))
	for _, want := range []string{
		"区商务委2024年重点工作任务清单", "（截至2024年11月15日）",
		"区商务委2024年承担全区重点工作任务32项，其中牵头13项、配合19项。",
		"一、主要预期指标", "一、4", "社会消费品零售总额增长7.5%。", "牵头单位", "牵头", "配合",
		longProgress + "（完成进度63%，11月13日报送）", supportedLead(t, u),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the task list lacks %q", want)
		}
	}
}

// supportedLead returns the lead unit of the first task u supports and does
// not lead, which the list must name.
func supportedLead(t *testing.T, u export.UnitTasksInput) string {
	t.Helper()
	for _, task := range u.Tasks {
		if !slices.Contains(task.LeadUnits, u.Unit) && len(task.LeadUnits) > 0 {
			return task.LeadUnits[0]
		}
	}
	t.Fatal("the unit supports no task")
	return ""
}

func TestUnitTasksLibreOffice(t *testing.T) {
	u := sampleUnitTasks(t)
	pdf := toPDF(t, "unit-tasks", docxBytes(t, func(w *bytes.Buffer) error { return export.UnitTasks(w, u) }))
	// Rows are never split across pages, so a page ends at a whole task.
	pdf.checkPages(t, 13, true)
	pdf.checkPageNumbers(t)
	pdf.checkText(t,
		"区商务委2024年重点工作任务清单", "社会消费品零售总额增长7.5%", "陈平", "牵头", "配合",
		"1—10月新引进首店品牌42家", "完成进度低于序时进度11个百分点",
		// Tasks are numbered as the pages number them, and a task the unit
		// supports names who leads it.
		"一、4", "牵头单位", supportedLead(t, u),
	)
	for i, p := range pdf.pages {
		if !strings.Contains(p, "任务内容") {
			t.Errorf("page %d lacks the header row", i+1)
		}
	}
	// No page ends with a section's heading row cut off from its tasks.
	for i, p := range pdf.pages {
		p = strings.TrimSuffix(p, "—"+strconv.Itoa(i+1)+"—")
		for _, task := range u.Tasks {
			if h := strings.Join(strings.Fields(task.Section), ""); h != "" && strings.HasSuffix(p, h) {
				t.Errorf("page %d ends with the heading %q", i+1, h)
			}
		}
	}
}
