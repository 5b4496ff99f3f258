package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"duban"
	"duban/web"
)

// storeCommand parses the flags of a command that works on the store, loads
// the configuration and opens the store. extra registers the command's own
// flags; usage is its synopsis.
type storeCommand struct {
	fs  *flag.FlagSet
	cf  *configFlags
	cfg Config
}

func newStoreCommand(name, usage string, stderr io.Writer) *storeCommand {
	c := &storeCommand{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	c.fs.SetOutput(stderr)
	c.cf = addConfigFlags(c.fs)
	c.fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban "+usage)
		c.fs.PrintDefaults()
	}
	return c
}

// parse reads args and the configuration; nargs is the number of positional
// arguments wanted, -1 for any.
func (c *storeCommand) parse(args []string, getenv func(string) string, nargs int) error {
	if err := c.fs.Parse(args); err != nil {
		return errReported
	}
	if nargs >= 0 && c.fs.NArg() != nargs {
		c.fs.Usage()
		return errReported
	}
	cfg, err := c.cf.load(getenv)
	if err != nil {
		return err
	}
	c.cfg = cfg
	return nil
}

// runMigrate is `duban migrate`: it applies the pending migrations, creating a
// SQLite database that does not exist yet.
func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := newStoreCommand("migrate", "migrate [options]", stderr)
	if err := c.parse(args, getenv, 0); err != nil {
		return err
	}
	if !isPostgres(c.cfg.DatabaseURL) {
		if _, err := os.Stat(sqlitePath(c.cfg.DatabaseURL)); errors.Is(err, os.ErrNotExist) {
			// Create the file (and folder): migrate is how a database starts.
			st, err := openStore(ctx, c.cfg, schemaMigrate)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created %s with the current schema\n", sqlitePath(c.cfg.DatabaseURL))
			return st.Close()
		}
	}
	st, err := openStore(ctx, c.cfg, schemaIgnore)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "schema is up to date")
	}
	for _, name := range applied {
		fmt.Fprintln(stdout, "applied", name)
	}
	return nil
}

// backuper is a store that can copy itself while serving (SQLite).
type backuper interface {
	Backup(ctx context.Context, dest string) error
}

// runBackup is `duban backup DEST`: a consistent copy of a SQLite database
// taken while the server runs. For PostgreSQL it says how to use pg_dump.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := newStoreCommand("backup", "backup [options] DEST.db", stderr)
	if err := c.parse(args, getenv, 1); err != nil {
		return err
	}
	if isPostgres(c.cfg.DatabaseURL) {
		fmt.Fprintf(stderr, `duban backup copies SQLite databases. For PostgreSQL use pg_dump, which takes a
consistent snapshot while duban keeps serving:

  pg_dump --format=custom --file=duban-$(date +%%Y%%m%%d).dump '%s'

and restore into an empty database with pg_restore --no-owner --dbname=URL FILE.
`, maskURL(c.cfg.DatabaseURL))
		return errReported
	}
	dest := c.fs.Arg(0)
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s exists already; give a new file name", dest)
	}
	st, err := openStore(ctx, c.cfg, schemaIgnore)
	if err != nil {
		return err
	}
	defer st.Close()
	b, ok := st.(backuper)
	if !ok {
		return errors.New("backup: this store cannot copy itself")
	}
	if err := b.Backup(ctx, dest); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "backup written to", dest)
	return nil
}

// runConfig is `duban config`: the configuration in effect, secrets masked.
func runConfig(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := newStoreCommand("config", "config [options]", stderr)
	if err := c.parse(args, getenv, 0); err != nil {
		return err
	}
	c.cfg.print(stdout)
	return nil
}

// runOrg is `duban org add NAME [--parent NAME]` and `duban org list`.
func runOrg(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		fmt.Fprintln(stderr, "Usage: duban org add [--parent NAME] NAME | duban org list")
		return errReported
	}
	verb := args[0]
	c := newStoreCommand("org "+verb, "org add [--parent NAME] NAME | org list", stderr)
	parent := c.fs.String("parent", "", "name or ID of the parent organisation (a city above its districts)")
	nargs := 1
	if verb == "list" {
		nargs = 0
	}
	if err := c.parse(args[1:], getenv, nargs); err != nil {
		return err
	}
	st, err := openStore(ctx, c.cfg, schemaCheck)
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "list" {
		orgs, err := st.FindOrgs(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\t名称 name\t上级 parent")
		for _, o := range orgs {
			p := ""
			if o.ParentID != nil {
				p = strconv.FormatInt(*o.ParentID, 10)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", o.ID, o.Name, p)
		}
		return tw.Flush()
	}
	o := &duban.Org{Name: c.fs.Arg(0)}
	if *parent != "" {
		p, err := findOrg(ctx, st, *parent)
		if err != nil {
			return err
		}
		o.ParentID = &p.ID
	}
	if err := st.CreateOrg(ctx, cliActor(0), o); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created organisation %d %s\n", o.ID, o.Name)
	return nil
}

// cliActor is who the command line acts as: the system, named so that the
// audit log tells command-line changes from those of jobs.
func cliActor(orgID int64) duban.Actor {
	a := duban.System(orgID)
	a.Username = "cli"
	return a
}

// findOrg finds an organisation by ID or by exact name.
func findOrg(ctx context.Context, st duban.Store, ref string) (*duban.Org, error) {
	if ref == "" {
		return nil, errors.New("name the organisation with --org (see `duban org list`)")
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return st.FindOrgByID(ctx, id)
	}
	orgs, err := st.FindOrgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.Name == ref {
			return o, nil
		}
	}
	return nil, fmt.Errorf("no organisation named %q (see `duban org list`)", ref)
}

// runUser is `duban user add|list|passwd|disable|enable`.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	const usage = `user add --org ORG --role ROLE [--unit UNIT] [--person NAME] [--name DISPLAY] [--email ADDR] [--mobile NUMBER] [--password-stdin] USERNAME
       duban user list --org ORG
       duban user passwd [--password-stdin] USERNAME
       duban user disable USERNAME | duban user enable USERNAME
Roles: admin, supervisor, leader, reporter (needs --unit), viewer. Without
--password-stdin a random password is generated and printed once.`
	if len(args) == 0 {
		fmt.Fprintln(stderr, "Usage: duban "+usage)
		return errReported
	}
	verb := args[0]
	c := newStoreCommand("user "+verb, usage, stderr)
	org := c.fs.String("org", "", "organisation name or ID")
	role := c.fs.String("role", "", "role: admin, supervisor, leader, reporter or viewer")
	unit := c.fs.String("unit", "", "for a reporter: the unit they report for (name or alias)")
	person := c.fs.String("person", "", "for a leader: the person they are (name)")
	display := c.fs.String("name", "", "display name")
	email := c.fs.String("email", "", "e-mail address, for notifications")
	mobile := c.fs.String("mobile", "", "mobile number, for robots' @-mentions")
	fromStdin := c.fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	nargs := 1
	switch verb {
	case "list":
		nargs = 0
	case "add", "passwd", "disable", "enable":
	default:
		fmt.Fprintln(stderr, "Usage: duban "+usage)
		return errReported
	}
	if err := c.parse(args[1:], getenv, nargs); err != nil {
		return err
	}
	st, err := openStore(ctx, c.cfg, schemaCheck)
	if err != nil {
		return err
	}
	defer st.Close()
	password := func() (string, bool, error) {
		if !*fromStdin {
			return demoPassword(), true, nil
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, errors.New("no password on standard input")
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	switch verb {
	case "list":
		o, err := findOrg(ctx, st, *org)
		if err != nil {
			return err
		}
		users, err := st.FindUsers(ctx, o.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\t用户名 user\t角色 role\t姓名 name\t停用 disabled")
		for _, u := range users {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\n", u.ID, u.Username, u.Role, u.DisplayName, u.Disabled)
		}
		return tw.Flush()
	case "add":
		o, err := findOrg(ctx, st, *org)
		if err != nil {
			return err
		}
		u := &duban.User{OrgID: o.ID, Username: c.fs.Arg(0), DisplayName: *display, Role: duban.Role(*role),
			Email: strings.TrimSpace(*email), Mobile: strings.TrimSpace(*mobile)}
		if *unit != "" {
			id, err := findUnitID(ctx, st, o.ID, *unit)
			if err != nil {
				return err
			}
			u.UnitID = &id
		}
		if *person != "" {
			id, err := findPersonID(ctx, st, o.ID, *person)
			if err != nil {
				return err
			}
			u.PersonID = &id
		}
		pw, generated, err := password()
		if err != nil {
			return err
		}
		if err := web.CheckPasswordPolicy(pw); err != nil {
			return err
		}
		if u.PasswordHash, err = web.HashPassword(pw); err != nil {
			return err
		}
		if err := st.CreateUser(ctx, cliActor(o.ID), u); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %s (%s) in %s\n", u.Username, u.Role, o.Name)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n", pw)
		}
		return nil
	}
	u, err := st.FindUserByUsername(ctx, c.fs.Arg(0))
	if err != nil {
		return err
	}
	var up duban.UserUpdate
	switch verb {
	case "passwd":
		pw, generated, err := password()
		if err != nil {
			return err
		}
		if err := web.CheckPasswordPolicy(pw); err != nil {
			return err
		}
		hash, err := web.HashPassword(pw)
		if err != nil {
			return err
		}
		up.PasswordHash = &hash
		defer func() {
			if generated {
				fmt.Fprintf(stdout, "password: %s\n", pw)
			}
		}()
	case "disable", "enable":
		disabled := verb == "disable"
		up.Disabled = &disabled
	}
	if _, err := st.UpdateUser(ctx, cliActor(u.OrgID), u.ID, up); err != nil {
		return err
	}
	if up.PasswordHash != nil || up.Disabled != nil && *up.Disabled {
		// A new password or a disabled account ends every open session.
		if err := st.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "user %s: %s done\n", u.Username, verb)
	return nil
}

// findUnitID finds a unit of the organisation by name or alias.
func findUnitID(ctx context.Context, st duban.Store, orgID int64, name string) (int64, error) {
	units, err := st.FindUnits(ctx, orgID)
	if err != nil {
		return 0, err
	}
	for _, u := range units {
		if u.Name == name {
			return u.ID, nil
		}
	}
	for _, u := range units {
		for _, a := range u.Aliases {
			if a == name {
				return u.ID, nil
			}
		}
	}
	return 0, fmt.Errorf("no unit named %q in this organisation", name)
}

// findPersonID finds a person of the organisation by name.
func findPersonID(ctx context.Context, st duban.Store, orgID int64, name string) (int64, error) {
	people, err := st.FindPeople(ctx, orgID)
	if err != nil {
		return 0, err
	}
	for _, p := range people {
		if p.Name == name {
			return p.ID, nil
		}
	}
	return 0, fmt.Errorf("no person named %q in this organisation", name)
}
