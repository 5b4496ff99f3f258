package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"duban"
	"duban/notify"
)

// The administration pages of the government office: the organisation and
// those below it, units and groups, people, users and roles, reporting
// cycles and notification channels. Each tab's form posts to
// /admin/{what} and comes back to its tab.

var adminTabs = []string{"org", "units", "people", "users", "cycles", "channels"}

type adminView struct {
	*pageBase
	Tab      string
	Tabs     []string
	Children []*duban.Org
	Units    []*duban.Unit
	People   []*duban.Person
	Users    []*duban.User
	// Requests are the people of the identity systems waiting for approval.
	Requests []*duban.IdentityRequest
	// RoleOptions and UnitOptions fill the approval forms.
	RoleOptions []option
	UnitOptions []option
	Schedule    *duban.Schedule
	Cycles      []*duban.Cycle
	Year        int
	Channels    []*duban.Channel
	Forms       map[string]*form
	Fields      map[string][]fieldView
	unitName    map[int64]string
	person      map[int64]string
}

// UnitName and PersonName name the unit or person of an ID.
func (v *adminView) UnitName(id *int64) string {
	if id == nil {
		return ""
	}
	return v.unitName[*id]
}

func (v *adminView) PersonName(id *int64) string {
	if id == nil {
		return ""
	}
	return v.person[*id]
}

// MemberNames names a group's members.
func (v *adminView) MemberNames(ids []int64) string {
	var names []string
	for _, id := range ids {
		names = append(names, v.unitName[id])
	}
	return strings.Join(names, "、")
}

// Redacted is a channel's settings without secrets, for display.
func (v *adminView) Redacted(ch *duban.Channel) string {
	cfg := notify.RedactConfig(*ch).Config
	var parts []string
	for _, k := range []string{"url", "host", "port", "from", "username"} {
		if cfg[k] != "" {
			parts = append(parts, k+"="+cfg[k])
		}
	}
	return strings.Join(parts, " · ")
}

func (s *Server) pageAdmin(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		tab := r.URL.Query().Get("tab")
		if !slices.Contains(adminTabs, tab) {
			tab = "org"
		}
		return s.renderAdmin(ps, w, r, c, b, http.StatusOK, tab, nil)
	}
}

// renderAdmin shows a tab; forms holds the forms typed into, by name.
func (s *Server) renderAdmin(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase, status int, tab string, forms map[string]*form) error {
	ctx := r.Context()
	org := c.actor.OrgID
	b.Title = b.T("admin.title")
	b.Active = "nav.admin"
	v := &adminView{pageBase: b, Tab: tab, Tabs: adminTabs, Forms: map[string]*form{}, Fields: map[string][]fieldView{},
		unitName: map[int64]string{}, person: map[int64]string{}}
	for _, name := range []string{"org", "unit", "person", "user", "schedule", "channel"} {
		v.Forms[name] = newForm(nil)
	}
	maps := forms
	for k, f := range maps {
		v.Forms[k] = f
	}
	var err error
	if v.Units, err = s.store.FindUnits(ctx, org); err != nil {
		return fmt.Errorf("find units: %w", err)
	}
	for _, u := range v.Units {
		v.unitName[u.ID] = u.Name
	}
	if v.People, err = s.store.FindPeople(ctx, org); err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	for _, p := range v.People {
		v.person[p.ID] = p.Name
	}
	switch tab {
	case "org":
		orgs, err := s.store.FindOrgs(ctx)
		if err != nil {
			return fmt.Errorf("find orgs: %w", err)
		}
		for _, o := range subtree(orgs, org) {
			if o.ID != org {
				v.Children = append(v.Children, o)
			}
		}
	case "users":
		if v.Users, err = s.store.FindUsers(ctx, org); err != nil {
			return fmt.Errorf("find users: %w", err)
		}
		if v.Requests, err = s.store.FindIdentityRequests(ctx, c.actor, duban.RequestPending); err != nil {
			return fmt.Errorf("find identity requests: %w", err)
		}
	case "cycles":
		all, err := s.allTasks(ctx, c.actor, duban.TaskFilter{OrgID: org})
		if err != nil {
			return err
		}
		v.Year = s.pickYear(r, taskYears(all))
		if y, err := strconv.Atoi(v.Forms["schedule"].V("year")); err == nil {
			v.Year = y
		}
		if sc, err := s.store.FindSchedule(ctx, c.actor, org, v.Year); err == nil {
			v.Schedule = sc
		} else if duban.ErrorCode(err) != duban.CodeNotFound {
			return fmt.Errorf("find schedule: %w", err)
		}
		if v.Cycles, err = s.store.FindCycles(ctx, c.actor, org, v.Year); err != nil {
			return fmt.Errorf("find cycles: %w", err)
		}
		if f := v.Forms["schedule"]; len(f.Values) == 0 {
			f.Values.Set("year", strconv.Itoa(v.Year))
			if sc := v.Schedule; sc != nil {
				f.Values.Set("kind", string(sc.Kind))
				f.Values.Set("day", strconv.Itoa(sc.Day))
				f.Values.Set("dates", strings.Join(sc.Dates, "\n"))
				f.Values.Set("grace_days", strconv.Itoa(sc.GraceDays))
				f.Values.Set("shift", string(sc.Shift))
			} else {
				f.Values.Set("kind", "monthly")
				f.Values.Set("day", "28")
				f.Values.Set("grace_days", "2")
				f.Values.Set("shift", "before")
			}
		}
	case "channels":
		if v.Channels, err = s.store.FindChannels(ctx, c.actor, org); err != nil {
			return fmt.Errorf("find channels: %w", err)
		}
	}
	v.fields()
	return s.render(ps, w, r, status, "admin", v)
}

func (v *adminView) fields() {
	b := v.pageBase
	unitOpts := []option{{Value: "", Label: b.T("form.none")}}
	for _, u := range v.Units {
		unitOpts = append(unitOpts, option{Value: itoa(u.ID), Label: u.Name})
	}
	personOpts := []option{{Value: "", Label: b.T("form.none")}}
	for _, p := range v.People {
		personOpts = append(personOpts, option{Value: itoa(p.ID), Label: p.Name})
	}
	roles := []option{}
	for _, r := range []duban.Role{duban.RoleReporter, duban.RoleSupervisor, duban.RoleLeader, duban.RoleViewer, duban.RoleAdmin} {
		roles = append(roles, option{Value: string(r), Label: b.Role(r)})
	}
	v.RoleOptions, v.UnitOptions = roles, unitOpts
	f := v.Forms
	v.Fields["org"] = []fieldView{f["org"].field("name", b.T("admin.orgname"), "text", true)}
	v.Fields["unit"] = []fieldView{
		f["unit"].field("name", b.T("admin.unitname"), "text", true),
		f["unit"].field("kind", b.T("admin.kind"), "select", true,
			option{Value: "unit", Label: b.T("admin.kind.unit")}, option{Value: "group", Label: b.T("admin.kind.group")}),
		f["unit"].field("aliases", b.T("admin.aliases"), "text", false),
	}
	v.Fields["unit"][2].Hint = b.T("admin.aliaseshint")
	v.Fields["person"] = []fieldView{
		f["person"].field("name", b.T("admin.personname"), "text", true),
		f["person"].field("title", b.T("admin.persontitle"), "text", false),
		f["person"].field("portfolio", b.T("admin.portfolio"), "textarea", false),
	}
	v.Fields["person"][2].Rows = 2
	pw := f["user"].field("password", b.T("admin.password"), "password", true)
	pw.Hint = b.Tf("admin.passwordhint", minPasswordLen)
	pw.Attrs = template.HTMLAttr(`autocomplete="new-password"`)
	v.Fields["user"] = []fieldView{
		f["user"].field("username", b.T("login.username"), "text", true),
		f["user"].field("display_name", b.T("admin.displayname"), "text", false),
		f["user"].field("role", b.T("admin.role"), "select", true, roles...),
		f["user"].field("unit_id", b.T("admin.userunit"), "select", false, unitOpts...),
		f["user"].field("person_id", b.T("admin.userperson"), "select", false, personOpts...),
		pw,
	}
	v.Fields["user"][3].Hint = b.T("admin.userunithint")
	v.Fields["schedule"] = []fieldView{
		f["schedule"].field("year", b.T("ind.year"), "number", true),
		f["schedule"].field("kind", b.T("admin.schedulekind"), "select", true,
			option{Value: "monthly", Label: b.T("admin.monthly")}, option{Value: "quarterly", Label: b.T("admin.quarterly")},
			option{Value: "semiannual", Label: b.T("admin.semiannual")}, option{Value: "custom", Label: b.T("admin.custom")}),
		f["schedule"].field("day", b.T("admin.day"), "number", false),
		f["schedule"].field("dates", b.T("admin.dates"), "textarea", false),
		f["schedule"].field("grace_days", b.T("admin.grace"), "number", false),
		f["schedule"].field("shift", b.T("admin.shift"), "select", true,
			option{Value: "before", Label: b.T("admin.shift.before")}, option{Value: "after", Label: b.T("admin.shift.after")},
			option{Value: "none", Label: b.T("admin.shift.none")}),
	}
	v.Fields["schedule"][2].Hint = b.T("admin.dayhint")
	v.Fields["schedule"][3].Hint = b.T("admin.dateshint")
	v.Fields["schedule"][3].Rows = 3
	v.Fields["channel"] = []fieldView{
		f["channel"].field("kind", b.T("admin.channelkind"), "select", true,
			option{Value: "dingtalk", Label: b.T("admin.ch.dingtalk")}, option{Value: "wecom", Label: b.T("admin.ch.wecom")},
			option{Value: "webhook", Label: b.T("admin.ch.webhook")}, option{Value: "email", Label: b.T("admin.ch.email")}),
		f["channel"].field("name", b.T("admin.channelname"), "text", true),
		f["channel"].field("url", b.T("admin.channelurl"), "url", false),
		f["channel"].field("secret", b.T("admin.channelsecret"), "password", false),
		f["channel"].field("host", b.T("admin.smtphost"), "text", false),
		f["channel"].field("port", b.T("admin.smtpport"), "number", false),
		f["channel"].field("username", b.T("admin.smtpuser"), "text", false),
		f["channel"].field("password", b.T("admin.smtppassword"), "password", false),
		f["channel"].field("from", b.T("admin.smtpfrom"), "email", false),
		f["channel"].field("enabled", b.T("admin.enabled"), "checkbox", false),
	}
	v.Fields["channel"][2].Hint = b.T("admin.channelurlhint")
}

// splitList reads names separated by commas, 、 or new lines.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == '\n' || r == '\r' || r == ';' || r == '；'
	})
	var out []string
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// optionalInt64 reads an ID from a select; nil for none.
func optionalInt64(s string) *int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return nil
	}
	return &n
}

func (s *Server) pageAdminPost(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		if err := parseForm(w, r, 64<<10); err != nil {
			return err
		}
		ctx := r.Context()
		f := newForm(r.PostForm)
		what := r.PathValue("what")
		tab, formName := "", what
		var serr error
		errField := ""
		done := "created"
		switch what {
		case "org":
			tab = "org"
			name, err := cleanName(b.T("admin.orgname"), f.V("name"), 100)
			if err != nil {
				f.Fail("name", duban.ErrorMessage(err))
				break
			}
			parent := c.actor.OrgID
			serr, errField = s.store.CreateOrg(ctx, c.actor, &duban.Org{Name: name, ParentID: &parent}), "name"
		case "unit":
			tab = "units"
			name, err := cleanName(b.T("admin.unitname"), f.V("name"), 100)
			if err != nil {
				f.Fail("name", duban.ErrorMessage(err))
			}
			aliases, err := cleanAliases(splitList(f.V("aliases")))
			if err != nil {
				f.Fail("aliases", duban.ErrorMessage(err))
			}
			kind := duban.UnitKind(f.V("kind"))
			if kind != duban.UnitSingle && kind != duban.UnitGroup {
				f.Fail("kind", b.T("admin.needkind"))
			}
			if f.OK() {
				serr, errField = s.store.CreateUnit(ctx, c.actor, &duban.Unit{OrgID: c.actor.OrgID, Name: name, Kind: kind,
					Aliases: aliases, MemberIDs: []int64{}}), "name"
			}
		case "person":
			tab = "people"
			name, err := cleanName(b.T("admin.personname"), f.V("name"), 50)
			if err != nil {
				f.Fail("name", duban.ErrorMessage(err))
			}
			p := &duban.Person{OrgID: c.actor.OrgID, Name: name, Title: strings.TrimSpace(f.V("title")), Portfolio: strings.TrimSpace(f.V("portfolio"))}
			if err := checkLength(b.T("admin.persontitle"), p.Title, 100); err != nil {
				f.Fail("title", duban.ErrorMessage(err))
			}
			if err := checkLength(b.T("admin.portfolio"), p.Portfolio, 1000); err != nil {
				f.Fail("portfolio", duban.ErrorMessage(err))
			}
			if f.OK() {
				serr, errField = s.store.CreatePerson(ctx, c.actor, p), "name"
			}
		case "user":
			tab = "users"
			errField, serr = s.adminUserCreate(r, c, b, f)
		case "user-update":
			tab, formName, done = "users", "", "updated"
			serr = s.adminUserUpdate(r, c, b, f)
		case "identity-decision":
			tab, formName, done = "users", "", "updated"
			serr = s.adminIdentityDecision(r, c, b, f)
		case "schedule":
			tab, done = "cycles", "saved"
			errField, serr = s.adminSchedule(r, c, b, f)
		case "channel":
			tab = "channels"
			ch := duban.Channel{OrgID: c.actor.OrgID, Kind: duban.ChannelKind(f.V("kind")), Name: strings.TrimSpace(f.V("name")),
				Enabled: f.V("enabled") == "1", Config: map[string]string{}}
			for _, k := range []string{"url", "secret", "host", "port", "username", "password", "from"} {
				if val := strings.TrimSpace(f.V(k)); val != "" {
					ch.Config[k] = val
				}
			}
			if ch.Name == "" {
				f.Fail("name", b.T("admin.needchannelname"))
			} else {
				serr = s.saveChannel(ctx, c, &ch)
			}
		case "channel-delete", "channel-test":
			tab, formName, done = "channels", "", "deleted"
			id := optionalInt64(f.V("id"))
			if id == nil {
				return duban.Errorf(duban.CodeInvalid, "缺少渠道编号")
			}
			chans, err := s.store.FindChannels(ctx, c.actor, c.actor.OrgID)
			if err != nil {
				return fmt.Errorf("find channels: %w", err)
			}
			i := slices.IndexFunc(chans, func(ch *duban.Channel) bool { return ch.ID == *id })
			if i < 0 {
				return duban.Errorf(duban.CodeNotFound, "通知渠道不存在")
			}
			if what == "channel-delete" {
				serr = s.store.DeleteChannel(ctx, c.actor, c.actor.OrgID, *id)
			} else {
				done = "tested"
				if s.tester == nil {
					serr = duban.Errorf(duban.CodeInvalid, "本服务未配置消息发送")
				} else {
					serr = s.tester.Test(ctx, *chans[i], splitList(f.V("emails"))...)
				}
			}
		default:
			return duban.Errorf(duban.CodeNotFound, "页面不存在")
		}
		if f.OK() && serr == nil {
			return redirect(w, r, "/admin?tab="+tab+"&ok="+done)
		}
		if serr != nil {
			if err := f.Err(errField, serr); err != nil {
				return err
			}
		}
		forms := map[string]*form{}
		if formName != "" {
			f.Values.Del("password")
			f.Values.Del("secret")
			forms[formName] = f
		} else {
			forms["list"] = f
		}
		return s.renderAdmin(ps, w, r, c, b, f.status(serr), tab, forms)
	}
}

func (s *Server) adminUserCreate(r *http.Request, c *caller, b *pageBase, f *form) (field string, err error) {
	username, cerr := cleanUsername(f.V("username"))
	if cerr != nil {
		f.Fail("username", duban.ErrorMessage(cerr))
	}
	display := strings.TrimSpace(f.V("display_name"))
	if display == "" {
		display = username
	}
	if err := checkLength(b.T("admin.displayname"), display, 50); err != nil {
		f.Fail("display_name", duban.ErrorMessage(err))
	}
	role := duban.Role(f.V("role"))
	if !role.Valid() {
		f.Fail("role", b.T("admin.needrole"))
	}
	unit, person := optionalInt64(f.V("unit_id")), optionalInt64(f.V("person_id"))
	if role == duban.RoleReporter && unit == nil {
		f.Fail("unit_id", b.T("admin.needunit"))
	}
	if role != duban.RoleReporter {
		unit = nil
	}
	if role != duban.RoleLeader {
		person = nil
	}
	pw := f.V("password")
	if err := CheckPasswordPolicy(pw); err != nil {
		f.Fail("password", duban.ErrorMessage(err))
	}
	if !f.OK() {
		return "", nil
	}
	hash, err := hashPassword(r.Context(), pw)
	if err != nil {
		return "", err
	}
	u := &duban.User{OrgID: c.actor.OrgID, Username: username, DisplayName: display, PasswordHash: hash, Role: role, UnitID: unit, PersonID: person}
	return "username", s.store.CreateUser(r.Context(), c.actor, u)
}

// adminIdentityDecision approves a person of an identity system into the
// admin's organisation with the role and unit chosen, or rejects them.
func (s *Server) adminIdentityDecision(r *http.Request, c *caller, b *pageBase, f *form) error {
	id := optionalInt64(f.V("id"))
	if id == nil {
		return duban.Errorf(duban.CodeInvalid, "缺少申请编号")
	}
	d := duban.IdentityDecision{Approve: f.V("op") == "approve"}
	if d.Approve {
		d.OrgID = c.actor.OrgID
		d.Role = duban.Role(f.V("role"))
		if !d.Role.Valid() {
			return duban.Errorf(duban.CodeInvalid, "%s", b.T("admin.needrole"))
		}
		if d.Role == duban.RoleReporter {
			if d.UnitID = optionalInt64(f.V("unit_id")); d.UnitID == nil {
				return duban.Errorf(duban.CodeInvalid, "%s", b.T("admin.needunit"))
			}
		}
	}
	_, _, err := s.store.DecideIdentityRequest(r.Context(), c.actor, *id, d)
	return err
}

// adminUserUpdate changes a user's role, disables or enables them, or sets
// a new password. Disabling and a new password end the user's sessions and
// revoke their API tokens (UpdateUser does).
func (s *Server) adminUserUpdate(r *http.Request, c *caller, b *pageBase, f *form) error {
	id := optionalInt64(f.V("id"))
	if id == nil {
		return duban.Errorf(duban.CodeInvalid, "缺少用户编号")
	}
	var up duban.UserUpdate
	switch f.V("op") {
	case "disable", "enable":
		if *id == c.user.ID {
			return duban.Errorf(duban.CodeInvalid, "不能停用自己的账号")
		}
		d := f.V("op") == "disable"
		up.Disabled = &d
	case "role":
		role := duban.Role(f.V("role"))
		if !role.Valid() {
			return duban.Errorf(duban.CodeInvalid, "角色无效")
		}
		up.Role = &role
	case "password":
		if err := CheckPasswordPolicy(f.V("password")); err != nil {
			return err
		}
		hash, err := hashPassword(r.Context(), f.V("password"))
		if err != nil {
			return err
		}
		up.PasswordHash = &hash
	default:
		return duban.Errorf(duban.CodeInvalid, "未知操作")
	}
	_, err := s.store.UpdateUser(r.Context(), c.actor, *id, up)
	return err
}

// adminSchedule sets a year's reporting schedule and opens its cycles.
func (s *Server) adminSchedule(r *http.Request, c *caller, b *pageBase, f *form) (field string, err error) {
	sc := duban.Schedule{OrgID: c.actor.OrgID, Kind: duban.ScheduleKind(f.V("kind")), Shift: duban.Shift(f.V("shift")), Dates: []string{}}
	if sc.Year, err = strconv.Atoi(f.V("year")); err != nil || sc.Year < 2000 || sc.Year > 2100 {
		f.Fail("year", b.T("admin.badyear"))
	}
	switch sc.Kind {
	case duban.ScheduleMonthly, duban.ScheduleQuarterly:
		if sc.Day, err = strconv.Atoi(strings.TrimSpace(f.V("day"))); err != nil || sc.Day < 0 || sc.Day > 31 {
			f.Fail("day", b.T("admin.badday"))
		}
	case duban.ScheduleSemiannual, duban.ScheduleCustom:
		sc.Dates = splitList(f.V("dates"))
		if len(sc.Dates) == 0 {
			f.Fail("dates", b.T("admin.needdates"))
		}
		for _, d := range sc.Dates {
			if checkDate("截止日期", d) != nil {
				f.Fail("dates", b.T("form.baddate"))
			}
		}
	default:
		f.Fail("kind", b.T("admin.needkind"))
	}
	if g := strings.TrimSpace(f.V("grace_days")); g != "" {
		if sc.GraceDays, err = strconv.Atoi(g); err != nil || sc.GraceDays < 0 || sc.GraceDays > 30 {
			f.Fail("grace_days", b.T("admin.badgrace"))
		}
	}
	if sc.Shift != duban.ShiftBefore && sc.Shift != duban.ShiftAfter && sc.Shift != duban.ShiftNone {
		f.Fail("shift", b.T("admin.needkind"))
	}
	if !f.OK() {
		return "", nil
	}
	days, err := s.store.FindCalendar(r.Context(), c.actor, c.actor.OrgID)
	if err != nil {
		return "", fmt.Errorf("find calendar: %w", err)
	}
	cycles, err := s.cycles(sc, days)
	if err != nil {
		return "kind", err
	}
	return "", s.store.SetSchedule(r.Context(), c.actor, &sc, cycles)
}

// adminUnitView edits a unit: its name, its other names and, for a group,
// its members.
type adminUnitView struct {
	*pageBase
	Unit   *duban.Unit
	Units  []*duban.Unit
	Form   *form
	Fields []fieldView
}

// Member reports whether a unit is among the group's members as typed.
func (v *adminUnitView) Member(id int64) bool { return v.Form.Has("member", itoa(id)) }

func (s *Server) pageAdminUnit(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		return s.renderAdminUnit(ps, w, r, c, b, http.StatusOK, nil)
	}
}

func (s *Server) renderAdminUnit(ps *pageSet, w http.ResponseWriter, r *http.Request, c *caller, b *pageBase, status int, f *form) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	units, err := s.store.FindUnits(r.Context(), c.actor.OrgID)
	if err != nil {
		return fmt.Errorf("find units: %w", err)
	}
	i := slices.IndexFunc(units, func(u *duban.Unit) bool { return u.ID == id })
	if i < 0 {
		return duban.Errorf(duban.CodeNotFound, "单位不存在")
	}
	u := units[i]
	if f == nil {
		vals := url.Values{"name": {u.Name}, "aliases": {strings.Join(u.Aliases, "、")}}
		for _, m := range u.MemberIDs {
			vals.Add("member", itoa(m))
		}
		f = newForm(vals)
	}
	b.Title = u.Name
	b.Active = "nav.admin"
	v := &adminUnitView{pageBase: b, Unit: u, Form: f}
	for _, x := range units {
		if x.Kind == duban.UnitSingle && x.ID != u.ID {
			v.Units = append(v.Units, x)
		}
	}
	v.Fields = []fieldView{f.field("name", b.T("admin.unitname"), "text", true), f.field("aliases", b.T("admin.aliases"), "textarea", false)}
	v.Fields[1].Hint = b.T("admin.aliaseshint")
	v.Fields[1].Rows = 2
	return s.render(ps, w, r, status, "admin_unit", v)
}

func (s *Server) pageAdminUnitPost(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := parseForm(w, r, 256<<10); err != nil {
			return err
		}
		f := newForm(r.PostForm)
		name, err := cleanName(b.T("admin.unitname"), f.V("name"), 100)
		if err != nil {
			f.Fail("name", duban.ErrorMessage(err))
		}
		aliases, err := cleanAliases(splitList(f.V("aliases")))
		if err != nil {
			f.Fail("aliases", duban.ErrorMessage(err))
		}
		up := duban.UnitUpdate{Name: &name, Aliases: &aliases}
		if f.V("group") == "1" {
			members := []int64{}
			for _, m := range f.Values["member"] {
				if n := optionalInt64(m); n != nil {
					members = append(members, *n)
				}
			}
			up.MemberIDs = &members
		}
		var serr error
		if f.OK() {
			if _, serr = s.store.UpdateUnit(r.Context(), c.actor, id, up); serr == nil {
				return redirect(w, r, "/admin?tab=units&ok=updated")
			}
			if err := f.Err("name", serr); err != nil {
				return fmt.Errorf("update unit %d: %w", id, err)
			}
		}
		return s.renderAdminUnit(ps, w, r, c, b, f.status(serr), f)
	}
}
