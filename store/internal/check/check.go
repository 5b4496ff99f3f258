package check

import (
	"fmt"
	"slices"
	"strings"

	"duban"
)

// CanManage reports whether role may create organisations, units, people and
// users and apply imports: only the government office (admin).
func CanManage(r duban.Role) bool { return r == duban.RoleAdmin }

// CanEditTasks reports whether role may change a task's fields: the office
// (admin) and the supervision office (supervisor).
func CanEditTasks(r duban.Role) bool { return r == duban.RoleAdmin || r == duban.RoleSupervisor }

// Forbidden is the error for an actor whose role may not do what was asked.
func Forbidden() error { return duban.Errorf(duban.CodeForbidden, "无权执行此操作") }

// Org trims o's name and checks that it is given.
func Org(o *duban.Org) error {
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		return duban.Errorf(duban.CodeInvalid, "组织名称不能为空")
	}
	return nil
}

// Unit normalises u (trimmed name, kind "unit" when empty, aliases trimmed,
// without blanks, repeats or the name itself) and checks it: a name, a known
// kind, and members only for a group.
func Unit(u *duban.Unit) error {
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		return duban.Errorf(duban.CodeInvalid, "单位名称不能为空")
	}
	if u.Kind == "" {
		u.Kind = duban.UnitSingle
	}
	if u.Kind != duban.UnitSingle && u.Kind != duban.UnitGroup {
		return duban.Errorf(duban.CodeInvalid, "单位类型“%s”无效", u.Kind)
	}
	u.Aliases = Aliases(u.Name, u.Aliases)
	u.MemberIDs = IDs(u.MemberIDs)
	if len(u.MemberIDs) > 0 && u.Kind != duban.UnitGroup {
		return duban.Errorf(duban.CodeInvalid, "只有单位组（如“各街道”）才能有成员单位")
	}
	return nil
}

// Aliases returns aliases trimmed, without blanks, repeats or name; never nil.
func Aliases(name string, aliases []string) []string {
	out := []string{}
	for _, a := range aliases {
		a = strings.TrimSpace(a)
		if a != "" && a != name && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Person trims p's name and checks that it is given.
func Person(p *duban.Person) error {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return duban.Errorf(duban.CodeInvalid, "姓名不能为空")
	}
	return nil
}

// User trims the user name and checks the role, and that a reporter is bound
// to a unit.
func User(u *duban.User) error {
	u.Username = strings.TrimSpace(u.Username)
	if u.Username == "" {
		return duban.Errorf(duban.CodeInvalid, "用户名不能为空")
	}
	if (u.Source == "") != (u.Subject == "") {
		return duban.Errorf(duban.CodeInvalid, "统一身份认证账号须同时有来源和标识")
	}
	return Role(u.Role, u.UnitID)
}

// Role checks that role is known and that a reporter has a unit.
func Role(role duban.Role, unitID *int64) error {
	if !role.Valid() {
		return duban.Errorf(duban.CodeInvalid, "角色“%s”无效", role)
	}
	if role == duban.RoleReporter && unitID == nil {
		return duban.Errorf(duban.CodeInvalid, "填报人员必须绑定单位")
	}
	return nil
}

// TaskText checks the fields of a task a person may type.
func TaskText(content string) error {
	if strings.TrimSpace(content) == "" {
		return duban.Errorf(duban.CodeInvalid, "任务内容不能为空")
	}
	return nil
}

// TaskName names a task in messages: "一、主要预期指标第3项".
func TaskName(t *duban.Task) string {
	return fmt.Sprintf("%s第%d项", t.Section, t.Number)
}

// Plan normalises and checks an import plan before anything is written: new
// units and people complete, every task numbered, with content and a year,
// and no task twice, indicators named with target or actual values.
func Plan(p *duban.ImportPlan) error {
	if p.OrgID == 0 {
		return duban.Errorf(duban.CodeInvalid, "导入计划缺少组织")
	}
	for i := range p.NewUnits {
		if err := Unit(&p.NewUnits[i]); err != nil {
			return err
		}
		if len(p.NewUnits[i].MemberIDs) > 0 {
			return duban.Errorf(duban.CodeInvalid, "导入时新建的单位组“%s”不能指定成员，请导入后设置", p.NewUnits[i].Name)
		}
	}
	for i := range p.NewPeople {
		if err := Person(&p.NewPeople[i]); err != nil {
			return err
		}
	}
	for i := range p.Aliases {
		p.Aliases[i].Alias = strings.TrimSpace(p.Aliases[i].Alias)
		if p.Aliases[i].Alias == "" {
			return duban.Errorf(duban.CodeInvalid, "单位别名不能为空")
		}
	}
	type key struct {
		year    int
		section string
		number  int
	}
	seen := make(map[key]bool)
	for i := range p.Tasks {
		t := &p.Tasks[i].Task
		if t.Number <= 0 || t.Year <= 0 {
			return duban.Errorf(duban.CodeInvalid, "任务“%s”缺少年份或序号", TaskName(t))
		}
		if err := TaskText(t.Content); err != nil {
			return duban.Errorf(duban.CodeInvalid, "任务“%s”内容为空", TaskName(t))
		}
		k := key{t.Year, t.Section, t.Number}
		if seen[k] {
			return duban.Errorf(duban.CodeInvalid, "任务“%s”重复出现", TaskName(t))
		}
		seen[k] = true
	}
	for i := range p.Indicators {
		ind := &p.Indicators[i]
		ind.Name = strings.TrimSpace(ind.Name)
		if ind.Name == "" {
			return duban.Errorf(duban.CodeInvalid, "指标名称不能为空")
		}
		for _, v := range ind.Values {
			if v.Kind != "target" && v.Kind != "actual" {
				return duban.Errorf(duban.CodeInvalid, "指标“%s”的取值类型“%s”无效", ind.Name, v.Kind)
			}
		}
	}
	return nil
}

// IDs returns ids without repeats, in order; never nil.
func IDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
