package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"duban"
)

var (
	tagRE      = regexp.MustCompile(`(?s)<(input|textarea|select)\b([^>]*)>`)
	attrRE     = regexp.MustCompile(`([a-zA-Z][\w-]*)(?:="([^"]*)")?`)
	textareaRE = regexp.MustCompile(`(?s)^(.*?)</textarea>`)
	optionRE   = regexp.MustCompile(`<option value="([^"]*)"( selected)?`)
)

// formValues reads the form of a page as a browser without JavaScript would
// submit it: every named input, ticked checkboxes only, every textarea and
// the selected option of every select. Submit buttons are left out.
func formValues(t *testing.T, page response) url.Values {
	t.Helper()
	body := string(page.body)
	v := url.Values{}
	for _, m := range tagRE.FindAllStringSubmatchIndex(body, -1) {
		tag := body[m[2]:m[3]]
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(body[m[4]:m[5]], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		name, ok := attrs["name"]
		if !ok {
			continue
		}
		_, checked := attrs["checked"]
		switch {
		case tag == "textarea":
			text := textareaRE.FindStringSubmatch(body[m[1]:])
			v.Add(name, html.UnescapeString(text[1]))
		case tag == "select":
			end := strings.Index(body[m[1]:], "</select>")
			for _, o := range optionRE.FindAllStringSubmatch(body[m[1]:m[1]+end], -1) {
				if o[2] != "" {
					v.Add(name, html.UnescapeString(o[1]))
				}
			}
		case attrs["type"] == "checkbox" && !checked, attrs["type"] == "submit":
		default:
			v.Add(name, attrs["value"])
		}
	}
	return v
}

// unitField is the name of the input that corrects a unit name.
func unitField(t *testing.T, form url.Values, name string) string {
	t.Helper()
	for key, vs := range form {
		if strings.HasPrefix(key, "u.") && strings.HasSuffix(key, ".name") && vs[0] == name {
			return strings.TrimSuffix(key, ".name") + ".into"
		}
	}
	t.Fatalf("no unit name %s to correct in the form", name)
	return ""
}

// TestImportWizard imports seed 002 into another district through the
// wizard, as a browser without JavaScript: the preview shows every task with
// its fields, the merges proposed unticked with their reasons, the other
// place to acknowledge; the office corrects a task, drops one, ticks a
// proposal and corrects a unit name by hand, previews again and confirms.
// The corrected name is then an alias that the next import resolves
// without asking.
func TestImportWizard(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	orgB := h.ids["org_b"]
	office := &duban.Unit{OrgID: orgB, Name: "区委机构编制委员会办公室"}
	if err := h.store.CreateUnit(ctx, duban.System(orgB), office); err != nil {
		t.Fatal(err)
	}
	data := readTestdata(t, "002_df832bfe8d5b9f39.txt")
	body, ct := upload(t, "002.txt", data, nil)
	got := h.do(t, request{method: "POST", path: "/import/preview", as: "admin_b", body: body, contentType: ct, offContract: true})
	if got.status != 200 {
		t.Fatalf("preview: %s", got)
	}
	page := got.text()
	for _, want := range []string{
		"重庆市渝中区人民政府办公室", "江北区", "请核对", "渝中区", // the issuer against the organisation
		"区政服办", "区政务服务办", "取“政务”“服务”的首字", // a proposal with its reason
		"任务（194 项）", "地区生产总值增长6%左右。", `value="邓光怀"`, // every task's fields
		"责任区领导", "各街道",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if regexp.MustCompile(`name="merge" value="[^"]*" checked`).MatchString(page) {
		t.Error("a proposed merge starts ticked")
	}
	if strings.Contains(page, "“区委办”是“区委编办”") {
		t.Error("区委办 is proposed as another unit's name")
	}

	form := formValues(t, got)
	form.Add("merge", "区政服办→区政务服务办")
	form.Set(unitField(t, form, "区委编办"), "区委机构编制委员会办公室")
	form.Set("t.27.leaders", "陈  平")
	form.Add("drop", "37")
	form.Set("action", "confirm")
	got = h.pagePost(t, "admin_b", "/import/confirm", form)
	page = got.text()
	if got.status != 200 || !strings.Contains(page, "已按修改重新预览") {
		t.Fatalf("changed decisions: %d, want the preview again", got.status)
	}
	for _, want := range []string{`value="陈平"`, "已修改", "不导入", "将记为“区委机构编制委员会办公室”的别名"} {
		if !strings.Contains(page, want) {
			t.Errorf("the preview again lacks %q", want)
		}
	}

	// Another place's document needs the acknowledgement.
	form = formValues(t, got)
	form.Set("action", "confirm")
	got = h.pagePost(t, "admin_b", "/import/confirm", form)
	if got.status != http.StatusBadRequest || !strings.Contains(got.text(), "渝中区") || !strings.Contains(got.text(), "请明确确认") {
		t.Fatalf("confirm without the acknowledgement: %d", got.status)
	}
	form = formValues(t, got)
	form.Set("acknowledge", "1")
	form.Set("action", "confirm")
	got = h.pagePost(t, "admin_b", "/import/confirm", form)
	loc := got.header.Get("Location")
	if got.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/import?ok=imported") {
		t.Fatalf("confirm: %d %q\n%.2000s", got.status, loc, got.text())
	}
	u, _ := url.Parse(loc)
	// District B's fixture holds task 一、1, which the import updates.
	if q := u.Query(); q.Get("created") != "192" || q.Get("updated") != "1" {
		t.Errorf("%s: want 192 tasks created and 1 updated (one dropped)", loc)
	}
	if page := h.pageGet(t, "admin_b", loc).text(); !strings.Contains(page, "导入完成") {
		t.Errorf("the result is not shown")
	}
	if got := h.pageGet(t, "admin", "/tasks"); strings.Contains(got.text(), "区政服办") {
		t.Errorf("district A sees district B's import")
	}
	tasks, _, err := h.store.FindTasks(ctx, duban.System(orgB), duban.TaskFilter{OrgID: orgB, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		switch task.SourceLine {
		case 27:
			if !slices.Equal(task.Leaders, []string{"陈平"}) {
				t.Errorf("task of line 27 has leaders %v", task.Leaders)
			}
		case 37:
			t.Error("the dropped task was imported")
		}
	}
	units, err := h.store.FindUnits(ctx, orgB)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Name == "区委机构编制委员会办公室" && !slices.Contains(u.Aliases, "区委编办") {
			t.Errorf("the corrected name is not an alias: %v", u.Aliases)
		}
		if u.Name == "区委编办" {
			t.Error("the corrected name became a unit of its own")
		}
	}

	// The next document that writes the name so resolves it without asking.
	revised := strings.Replace(string(data), "1.地区生产总值增长6%左右。", "1.地区生产总值增长6.5%左右。", 1)
	body, ct = upload(t, "002_revised.txt", []byte(revised), nil)
	got = h.do(t, request{method: "POST", path: "/import/preview?lang=en", as: "admin_b", body: body, contentType: ct, offContract: true})
	page = got.text()
	if got.status != 200 || !strings.Contains(page, "a learned alias of “区委机构编制委员会办公室”") {
		t.Errorf("the next import does not resolve 区委编办 by its alias: %d", got.status)
	}
	if strings.Contains(page, `value="区委编办"`) {
		t.Error("the next import asks about 区委编办 again")
	}
	for _, want := range []string{"Unit names recognised", "The issuer is of 渝中区, not of this organisation (江北区)", "Tasks (194)"} {
		if !strings.Contains(page, want) {
			t.Errorf("the English preview lacks %q", want)
		}
	}
}

// TestImportWizardColumns gives a column of the task table another role: the
// document is read again with it, the tasks' fields as shown do not undo it,
// and an edit made before stands.
func TestImportWizardColumns(t *testing.T) {
	h := newHarness(t, Config{})
	body, ct := upload(t, "002.txt", readTestdata(t, "002_df832bfe8d5b9f39.txt"), nil)
	got := h.do(t, request{method: "POST", path: "/import/preview", as: "admin", body: body, contentType: ct, offContract: true})
	if got.status != 200 || strings.Contains(got.text(), "请核对") {
		t.Fatalf("preview: %d (a mismatch for the district's own document?)", got.status)
	}
	form := formValues(t, got)
	form.Set("t.27.deadline", "2024年6月底")
	form.Set("action", "preview")
	got = h.pagePost(t, "admin", "/import/confirm", form)
	form = formValues(t, got)
	var col string
	for key, vs := range form {
		if strings.HasSuffix(key, ".header") && vs[0] == "责任区领导" {
			col = strings.TrimSuffix(key, ".header") + ".role"
		}
	}
	if col == "" || form.Get(col) != "leaders" {
		t.Fatalf("no column 责任区领导 read as leaders in the form: %q", form.Get(col))
	}
	form.Set(col, "none")
	got = h.pagePost(t, "admin", "/import/confirm", form)
	page := got.text()
	if got.status != 200 || strings.Contains(page, `value="邓光怀"`) || !strings.Contains(page, `<option value="none" selected>`) {
		t.Fatalf("the column given no role: %d, leaders still read", got.status)
	}
	form = formValues(t, got)
	if form.Get("t.27.deadline") != "2024年6月底" || form.Get("t.27.leaders") != "" {
		t.Errorf("task of line 27: deadline %q, leaders %q", form.Get("t.27.deadline"), form.Get("t.27.leaders"))
	}
	form.Set("action", "confirm")
	got = h.pagePost(t, "admin", "/import/confirm", form)
	if got.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%.1500s", got.status, got.text())
	}
	tasks, _, err := h.store.FindTasks(context.Background(), duban.System(h.ids["org_a"]), duban.TaskFilter{OrgID: h.ids["org_a"], Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, task := range tasks {
		if strings.HasPrefix(task.Section, "一、") && task.Number == 1 {
			found = true
			if task.Deadline != "2024年6月底" || len(task.Leaders) != 0 {
				t.Errorf("task 一、1: deadline %q, leaders %v", task.Deadline, task.Leaders)
			}
		}
	}
	if !found {
		t.Error("task 一、1 is not in the ledger")
	}
}

// TestImportWizardParagraph takes a paragraph that no rule of the reader took
// as a task through the wizard: ticked, it joins the task list on the next
// preview, where the office gives it its unit; unticked, it leaves it.
func TestImportWizardParagraph(t *testing.T) {
	h := newHarness(t, Config{})
	body, ct := upload(t, "baotou.txt", readTestdata(t, "real/city_baotou_2011_decomposition.txt"), nil)
	got := h.do(t, request{method: "POST", path: "/import/preview", as: "admin", body: body, contentType: ct, offContract: true})
	if got.status != 200 {
		t.Fatalf("preview: %d", got.status)
	}
	form := formValues(t, got)
	paras := regexp.MustCompile(`name="add" value="(\d+)"`).FindAllStringSubmatch(got.text(), -1)
	if len(paras) == 0 {
		t.Fatal("no paragraph to take as a task")
	}
	line := paras[len(paras)-1][1]
	tasks := len(form["line"])
	form.Add("add", line)
	form.Set("action", "preview")
	got = h.pagePost(t, "admin", "/import/confirm", form)
	form = formValues(t, got)
	if got.status != 200 || len(form["line"]) != tasks+1 || !slices.Contains(form["para"], line) || form.Get("t."+line+".content") == "" ||
		!strings.Contains(got.text(), "补充的任务") {
		t.Fatalf("the paragraph of line %s is not in the task list: %d, lines %v", line, got.status, form["line"])
	}
	form.Set("t."+line+".lead", "市政府督查室")
	got = h.pagePost(t, "admin", "/import/confirm", form)
	form = formValues(t, got)
	if form.Get("t."+line+".lead") != "市政府督查室" {
		t.Errorf("the unit given to the paragraph's task: %q", form.Get("t."+line+".lead"))
	}
	// Unticked, the paragraph leaves the task list, its fields forgotten.
	form.Del("add")
	got = h.pagePost(t, "admin", "/import/confirm", form)
	if form = formValues(t, got); got.status != 200 || len(form["line"]) != tasks || form.Has("t."+line+".content") {
		t.Errorf("the paragraph unticked: %d, lines %v", got.status, form["line"])
	}
}
