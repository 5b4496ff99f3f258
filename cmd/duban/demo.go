package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"duban"
	"duban/calendar"
	"duban/importer"
	"duban/ingest"
	"duban/jobs"
	"duban/samples"
	"duban/store/synth"
	"duban/web"
)

// runDemo is `duban demo`: a fresh SQLite database in a temporary or given
// folder, the bundled sample documents imported, a demo account for every
// role printed, then the server. Run a second time on the same folder, it
// keeps the data and gives the demo accounts new passwords.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", "", "folder for the demo database (default: a new temporary folder)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on, host:port")
	logFormat := fs.String("log-format", "text", "text or json")
	today := fs.String("today", "2024-11-15", "the day the demo runs on: the sample documents are of 2024")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban demo [--data DIR] [--addr HOST:PORT]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		if err == nil {
			fs.Usage()
		}
		return errReported
	}
	dir := *dataDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "duban-demo-"); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	cfg := defaultConfig()
	cfg.DatabaseURL = "sqlite://" + filepath.Join(dir, "duban.db")
	cfg.HTTPAddr = *addr
	cfg.LogFormat = *logFormat
	var err error
	if cfg.Identity, err = demoIdentity(getenv); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	loc, _ := time.LoadLocation(cfg.Timezone)
	day, err := time.ParseInLocation(time.DateOnly, *today, loc)
	if err != nil {
		return fmt.Errorf("demo: --today %q: want a date such as 2024-11-15", *today)
	}
	// The demo's clock starts at 09:00 of that day and runs on from there.
	started, start := time.Now(), day.Add(9*time.Hour)
	clock := func() time.Time { return start.Add(time.Since(started)) }
	_, statErr := os.Stat(sqlitePath(cfg.DatabaseURL))
	fresh := errors.Is(statErr, os.ErrNotExist)
	st, err := openStore(ctx, cfg, schemaMigrate)
	if err != nil {
		return err
	}
	defer st.Close()
	var accounts []demoAccount
	if fresh {
		fmt.Fprintln(stderr, "正在准备演示数据（导入样例文件、生成一年的填报记录，约需十秒）… preparing the demo data")
		accounts, err = seedDemo(ctx, st, day)
	} else {
		accounts, err = resetDemoPasswords(ctx, st)
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(stdout, "duban demo — database %s\n", sqlitePath(cfg.DatabaseURL))
	printAccounts(stdout, accounts)
	st.SetClock(clock)
	// Lights as of the demo's day.
	if err := (&jobs.Refresh{Store: st}).Run(ctx, clock()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "演示日期 demo date: %s (--today)\n", day.Format(time.DateOnly))
	return serve(ctx, cfg, st, newLogger(cfg, stderr), stdout, clock)
}

// demoIdentity reads the identity section of the configuration file
// DUBAN_CONFIG names, if any, so that the demo can show sign-in through an
// identity system; the rest of the file is the demo's own.
func demoIdentity(getenv func(string) string) (IdentitySettings, error) {
	var c struct {
		Identity IdentitySettings `json:"identity"`
	}
	if file := getenv("DUBAN_CONFIG"); file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return c.Identity, fmt.Errorf("demo: read config: %w", err)
		}
		if err := json.Unmarshal(data, &c); err != nil {
			return c.Identity, fmt.Errorf("demo: config file %s: %w", file, err)
		}
	}
	return c.Identity, c.Identity.loadEnv(getenv)
}

// demoAccount is a demo user and the password printed for it.
type demoAccount struct {
	user     duban.User
	password string
	what     string
}

// The demo's organisations: the seeds are 渝中区's documents; two synthetic
// districts beside it give the city's roll-up something to add up.
const (
	demoCity     = "重庆市"
	demoDistrict = "渝中区"
)

var demoSynthetic = []string{"江北区", "南岸区"}

// demoStreets are 渝中区's streets (街道), which 各街道 in the decomposition
// stands for.
var demoStreets = []string{
	"解放碑街道", "朝天门街道", "南纪门街道", "七星岗街道", "大溪沟街道", "上清寺街道",
	"两路口街道", "菜园坝街道", "石油路街道", "大坪街道", "化龙桥街道",
}

// demoMerges are the other names of 渝中区's units that its office knows
// (DOMAIN.md): the demo confirms a proposed merge only when it is one of
// these, as an office confirms only what it knows to be one unit.
var demoMerges = map[string]string{
	"区政服办":       "区政务服务办",
	"数字经济产业园管委会": "数字经济产业园区管委会",
	"时代天街管委会":    "时代天街商圈管委会",
}

// seedDemo fills an empty store: organisations, the sample documents imported
// through the import service as an administrator would (the proposed
// merges it knows to be right accepted), the groups' members, and one account for each role.
func seedDemo(ctx context.Context, st ledgerStore, today time.Time) ([]demoAccount, error) {
	sys := duban.System(0)
	demoHash, err := web.HashPassword(demoPassword())
	if err != nil {
		return nil, err
	}
	city := &duban.Org{Name: demoCity}
	if err := st.CreateOrg(ctx, sys, city); err != nil {
		return nil, err
	}
	district := &duban.Org{Name: demoDistrict, ParentID: &city.ID}
	if err := st.CreateOrg(ctx, sys, district); err != nil {
		return nil, err
	}
	org := district.ID
	actor := duban.System(org)
	for _, name := range demoStreets {
		if err := st.CreateUnit(ctx, actor, &duban.Unit{OrgID: org, Name: name, Kind: duban.UnitSingle}); err != nil {
			return nil, err
		}
	}
	imp := &importer.Service{Store: st, Limits: ingest.DefaultLimits, Now: func() time.Time { return today }, Location: today.Location()}
	for _, name := range []string{samples.Decomposition, samples.PlanReport, samples.WorkReport} {
		data, err := fs.ReadFile(samples.Files, name)
		if err != nil {
			return nil, err
		}
		// The plan report of 2022 and the work report of 2021 are the
		// district's own of earlier years: the demo confirms that.
		req := importer.Request{OrgID: org, FileName: name, Data: data, Acknowledge: true}
		p, err := imp.Preview(ctx, actor, req)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", name, err)
		}
		req.Merges = map[string]string{}
		for _, m := range p.Merges {
			if demoMerges[m.Name] == m.Into {
				req.Merges[m.Name] = m.Into
			}
		}
		if _, err := imp.Confirm(ctx, actor, req); err != nil {
			return nil, fmt.Errorf("import %s: %w", name, err)
		}
	}
	if err := fillDemoGroups(ctx, st, actor, org); err != nil {
		return nil, err
	}
	if err := seedDemoHistory(ctx, st, org, today, demoHash); err != nil {
		return nil, err
	}
	for i, name := range demoSynthetic {
		d := &duban.Org{Name: name, ParentID: &city.ID}
		if err := st.CreateOrg(ctx, sys, d); err != nil {
			return nil, err
		}
		if err := synth.Ledger(ctx, st, duban.System(d.ID), d.ID, 2024, 200, uint64(i+1)); err != nil {
			return nil, err
		}
		if months := int(today.Month()) - 1; today.Year() == 2024 && months > 0 {
			err := synth.Reports(ctx, st, d.ID, 2024, synth.ReportOptions{Months: months, PasswordHash: demoHash, Missing: 0.1 * float64(i+1),
				SetClock: func(t time.Time) { st.SetClock(func() time.Time { return t }) }})
			if err != nil {
				return nil, err
			}
		}
	}
	return createDemoAccounts(ctx, st, city.ID, org)
}

// seedDemoHistory gives 渝中区 a year of reporting up to the demo's day:
// monthly reports due on the 28th (moved off the 2024 holidays), submitted
// and reviewed in their months, some tasks lagging or late, a few closed on
// evidence, a supervision notice and an extension request waiting.
func seedDemoHistory(ctx context.Context, st ledgerStore, org int64, today time.Time, hash string) error {
	sys := duban.System(org)
	if err := st.SetCalendar(ctx, sys, org, calendar.Holidays2024); err != nil {
		return err
	}
	months := int(today.Month()) - 1
	if today.Day() > 28 {
		months++
	}
	if today.Year() != 2024 {
		months = 12
	}
	if months > 0 {
		err := synth.Reports(ctx, st, org, 2024, synth.ReportOptions{Months: months, PasswordHash: hash, Missing: 0.08,
			SetClock: func(t time.Time) { st.SetClock(func() time.Time { return t }) }})
		if err != nil {
			return err
		}
	}
	// The schedule as the office sets it: due on the 28th, or the last
	// working day before it.
	sc := duban.Schedule{OrgID: org, Year: 2024, Kind: duban.ScheduleMonthly, Day: 28, GraceDays: 2, Shift: duban.ShiftBefore}
	cycles, err := scheduleCycles(sc, calendar.Holidays2024)
	if err != nil {
		return err
	}
	st.SetClock(func() time.Time { return today.Add(8 * time.Hour) })
	if err := st.SetSchedule(ctx, sys, &sc, cycles); err != nil {
		return err
	}
	if _, err := st.RefreshProgress(ctx, sys, org); err != nil {
		return err
	}
	// A few tasks done are closed on evidence; a lagging one gets a
	// 督办单, another asks for more time.
	office := duban.Actor{Username: "duchashi", Role: duban.RoleSupervisor, OrgID: org}
	var tasks []*duban.Task
	for offset := 0; ; offset += 500 {
		page, total, err := st.FindTasks(ctx, sys, duban.TaskFilter{OrgID: org, Limit: 500, Offset: offset})
		if err != nil {
			return err
		}
		tasks = append(tasks, page...)
		if len(tasks) >= total || len(page) == 0 {
			break
		}
	}
	closed, noticed, extended := 0, false, false
	for _, t := range tasks {
		switch {
		case t.Status == duban.StatusDone && closed < 6:
			ev := &duban.Evidence{TaskID: t.ID, FileName: "完成情况佐证.pdf", ContentType: "application/pdf",
				Content: []byte("%PDF-1.4\n% 演示佐证材料\n%%EOF\n")}
			if err := st.AddEvidence(ctx, office, ev); err != nil {
				return err
			}
			if err := st.CloseTask(ctx, office, t.ID, "经核实已完成年度目标"); err != nil {
				return err
			}
			closed++
		case t.Light == duban.LightRed && !noticed:
			n := &duban.Notice{TaskID: t.ID, Title: "关于加快推进“" + excerptDemo(t.Content, 20) + "”的督办单",
				Body: "该任务进度滞后于序时进度，请说明原因并提出整改措施。", Deadline: today.AddDate(0, 0, 7).Format(time.DateOnly)}
			if err := st.IssueNotice(ctx, office, n); err != nil {
				return err
			}
			noticed = true
		case t.Light == duban.LightRed && noticed && !extended && len(t.LeadUnitIDs) > 0:
			u, err := st.FindUserByUsername(ctx, fmt.Sprintf("synth%d_%d", org, t.LeadUnitIDs[0]))
			if err != nil {
				continue
			}
			a := duban.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: org, UnitID: u.UnitID}
			x := &duban.Extension{TaskID: t.ID, Reason: "项目用地手续尚在办理，需顺延至明年一季度完成。", NewDeadline: "2025-03-31"}
			if err := st.RequestExtension(ctx, a, x); err != nil {
				return err
			}
			extended = true
		}
	}
	return nil
}

func excerptDemo(s string, n int) string {
	r := []rune(strings.TrimSuffix(s, "。"))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

// fillDemoGroups makes each group "各X" stand for the units whose names end in
// X: 各街道 for the streets, 各管委会 for the management committees.
func fillDemoGroups(ctx context.Context, st duban.Store, a duban.Actor, org int64) error {
	units, err := st.FindUnits(ctx, org)
	if err != nil {
		return err
	}
	for _, g := range units {
		suffix, ok := strings.CutPrefix(g.Name, "各")
		if g.Kind != duban.UnitGroup || !ok || suffix == "" {
			continue
		}
		var members []int64
		for _, u := range units {
			if u.Kind == duban.UnitSingle && strings.HasSuffix(u.Name, suffix) {
				members = append(members, u.ID)
			}
		}
		if len(members) == 0 {
			continue
		}
		if _, err := st.UpdateUnit(ctx, a, g.ID, duban.UnitUpdate{MemberIDs: &members}); err != nil {
			return err
		}
	}
	return nil
}

// createDemoAccounts creates one user for each role in the district, and a
// supervisor of the city who sees the roll-up.
func createDemoAccounts(ctx context.Context, st duban.Store, cityID, org int64) ([]demoAccount, error) {
	units, err := st.FindUnits(ctx, org)
	if err != nil {
		return nil, err
	}
	unitID := func(name string) (*int64, error) {
		for _, u := range units {
			if u.Name == name {
				return &u.ID, nil
			}
		}
		return nil, fmt.Errorf("demo unit %s not found", name)
	}
	people, err := st.FindPeople(ctx, org)
	if err != nil {
		return nil, err
	}
	if len(people) == 0 {
		return nil, errors.New("the sample decomposition named no leaders")
	}
	leader := people[0]
	fgw, err := unitID("区发改委")
	if err != nil {
		return nil, err
	}
	street, err := unitID("解放碑街道")
	if err != nil {
		return nil, err
	}
	accounts := []demoAccount{
		{user: duban.User{OrgID: org, Username: "admin", DisplayName: "区政府办公室", Role: duban.RoleAdmin}, what: "导入文件、管理单位和用户 imports, units, users"},
		{user: duban.User{OrgID: org, Username: "duchashi", DisplayName: "督查室", Role: duban.RoleSupervisor}, what: "审核、催办、销号 review, remind, close"},
		{user: duban.User{OrgID: org, Username: "leader", DisplayName: leader.Name, Role: duban.RoleLeader, PersonID: &leader.ID}, what: "区领导（" + leader.Name + "），只读 read-only"},
		{user: duban.User{OrgID: org, Username: "fagaiwei", DisplayName: "区发改委", Role: duban.RoleReporter, UnitID: fgw}, what: "区发改委填报员 reporter of 区发改委"},
		{user: duban.User{OrgID: org, Username: "jiefangbei", DisplayName: "解放碑街道", Role: duban.RoleReporter, UnitID: street}, what: "解放碑街道填报员（含“各街道”任务）"},
		{user: duban.User{OrgID: org, Username: "viewer", DisplayName: "区人大办", Role: duban.RoleViewer}, what: "只读 read-only"},
		{user: duban.User{OrgID: cityID, Username: "city", DisplayName: "市政府督查室", Role: duban.RoleSupervisor}, what: "市级汇总 city roll-up of 3 districts"},
	}
	for i := range accounts {
		a := &accounts[i]
		a.password = demoPassword()
		hash, err := web.HashPassword(a.password)
		if err != nil {
			return nil, err
		}
		a.user.PasswordHash = hash
		if err := st.CreateUser(ctx, duban.System(a.user.OrgID), &a.user); err != nil {
			return nil, err
		}
	}
	return accounts, nil
}

// resetDemoPasswords gives every user of a demo database a new password, for
// a demo started again on the same folder.
func resetDemoPasswords(ctx context.Context, st duban.Store) ([]demoAccount, error) {
	orgs, err := st.FindOrgs(ctx)
	if err != nil {
		return nil, err
	}
	var accounts []demoAccount
	for _, o := range orgs {
		users, err := st.FindUsers(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			pw := demoPassword()
			hash, err := web.HashPassword(pw)
			if err != nil {
				return nil, err
			}
			if _, err := st.UpdateUser(ctx, duban.System(o.ID), u.ID, duban.UserUpdate{PasswordHash: &hash}); err != nil {
				return nil, err
			}
			accounts = append(accounts, demoAccount{user: *u, password: pw, what: "密码已重置 password reset"})
		}
	}
	slices.SortFunc(accounts, func(a, b demoAccount) int { return int(a.user.ID - b.user.ID) })
	return accounts, nil
}

// demoPassword is 12 letters and digits without look-alikes (0/O, 1/l).
func demoPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	out := make([]byte, 0, 12)
	var b [1]byte
	for len(out) < cap(out) {
		rand.Read(b[:])
		// Drop the bytes past the last whole multiple of the alphabet,
		// so that every letter is equally likely.
		if int(b[0]) < 256/len(alphabet)*len(alphabet) {
			out = append(out, alphabet[int(b[0])%len(alphabet)])
		}
	}
	return string(out)
}

func printAccounts(w io.Writer, accounts []demoAccount) {
	fmt.Fprintln(w, "\n演示账号 demo accounts:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  user\tpassword\trole\t说明")
	for _, a := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.user.Username, a.password, a.user.Role, a.what)
	}
	tw.Flush()
	fmt.Fprintln(w)
}
