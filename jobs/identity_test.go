package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"duban"
	"duban/identity"
	"duban/jobs"
)

// answers is an identity system that answers each subject as told, and
// rotates the secret of the active ones.
type answers struct {
	source string
	status map[string]identity.Status
	fail   map[string]bool
	seen   map[string]string // subject → secret it was given
}

func (a *answers) Source() string { return a.source }

func (a *answers) Check(_ context.Context, subject, secret string) (identity.Status, string, error) {
	a.seen[subject] = secret
	if a.fail[subject] {
		return 0, "", errors.New("connection refused")
	}
	st := a.status[subject]
	if st == identity.Active {
		return st, secret + "+", nil
	}
	return st, "", nil
}

func TestCheckIdentitiesDisablesWhomTheSourceDropped(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	sealer, err := identity.NewSealer("a key for the tests, long enough")
	if err != nil {
		t.Fatal(err)
	}
	actor := duban.Actor{Username: "统一身份认证(oidc)", Role: duban.RoleAdmin}
	users := map[string]*duban.User{}
	for _, name := range []string{"active", "disabled", "gone", "unreachable"} {
		u := &duban.User{OrgID: o.org, Username: name, Role: duban.RoleViewer, Source: "oidc", Subject: "sub-" + name}
		must(t, o.st.CreateUser(ctx, actor, u))
		must(t, o.st.SetExternalSecret(ctx, u.ID, sealer.Seal("rt-"+name)))
		must(t, o.st.CreateSession(ctx, &duban.Session{TokenHash: "session-" + name, UserID: u.ID, CreatedAt: o.now,
			LastSeenAt: o.now, ExpiresAt: o.now.Add(time.Hour)}))
		must(t, o.st.CreateAPIToken(ctx, duban.Actor{UserID: u.ID, Username: name, Role: duban.RoleViewer, OrgID: o.org},
			&duban.APIToken{UserID: u.ID, Name: "脚本", TokenHash: "token-" + name}))
		users[name] = u
	}
	src := &answers{source: "oidc", seen: map[string]string{},
		status: map[string]identity.Status{"sub-disabled": identity.Disabled, "sub-gone": identity.Gone},
		fail:   map[string]bool{"sub-unreachable": true}}
	job := &jobs.CheckIdentities{Store: o.st, Checkers: []identity.Checker{src}, Sealer: sealer}
	err = job.Run(ctx, o.now)
	if err == nil {
		t.Error("a person who could not be checked left no error")
	}
	if job.Checked != 3 || job.Disabled != 2 || job.Failed != 1 {
		t.Errorf("checked %d, disabled %d, failed %d; want 3, 2, 1", job.Checked, job.Disabled, job.Failed)
	}
	// The source got each secret opened.
	if src.seen["sub-active"] != "rt-active" {
		t.Errorf("the source got %q, want the opened secret", src.seen["sub-active"])
	}
	for name, wantDisabled := range map[string]bool{"active": false, "disabled": true, "gone": true, "unreachable": false} {
		u, err := o.st.FindUserByID(ctx, users[name].ID)
		must(t, err)
		if u.Disabled != wantDisabled {
			t.Errorf("%s: disabled = %v, want %v", name, u.Disabled, wantDisabled)
		}
		_, serr := o.st.FindSession(ctx, "session-"+name)
		_, terr := o.st.FindAPIToken(ctx, "token-"+name)
		if ended := serr != nil && terr != nil; ended != wantDisabled {
			t.Errorf("%s: session and token ended = %v (%v, %v), want %v", name, ended, serr, terr, wantDisabled)
		}
	}
	// The rotated secret is kept, sealed.
	accounts, err := o.st.FindExternalAccounts(ctx, "oidc")
	must(t, err)
	for _, a := range accounts {
		if a.UserID == users["active"].ID {
			if got, err := sealer.Open(a.Secret); err != nil || got != "rt-active+" {
				t.Errorf("kept secret opens to %q, %v; want the rotated one", got, err)
			}
		}
	}
	// The disabling is the identity system's, in the audit log.
	entries, _, err := o.st.FindAudit(ctx, duban.AuditFilter{OrgID: o.org, Entity: new("user"), EntityID: &users["gone"].ID})
	must(t, err)
	var acts []string
	for _, e := range entries {
		acts = append(acts, e.Actor+" "+e.Action)
	}
	want := map[string]bool{"统一身份认证(oidc) user.update": false, "统一身份认证(oidc) session.delete_all": false, "统一身份认证(oidc) api_token.revoke_all": false}
	for _, a := range acts {
		if _, ok := want[a]; ok {
			want[a] = true
		}
	}
	for a, ok := range want {
		if !ok {
			t.Errorf("audit of the gone person %v lacks %q", acts, a)
		}
	}
	// A second run leaves the disabled alone.
	src.seen = map[string]string{}
	job.Run(ctx, o.now)
	if _, asked := src.seen["sub-gone"]; asked {
		t.Error("a disabled person was checked again")
	}
}

// forgetful fails to keep secrets while broken.
type forgetful struct {
	duban.Store
	broken bool
}

func (f *forgetful) SetExternalSecret(ctx context.Context, userID int64, secret string) error {
	if f.broken {
		return errors.New("disk full")
	}
	return f.Store.SetExternalSecret(ctx, userID, secret)
}

// rotating is a provider that replaces the refresh token at each use and
// refuses any but the last it gave.
type rotating struct{ current string }

func (r *rotating) Source() string { return "oidc" }

func (r *rotating) Check(_ context.Context, _, secret string) (identity.Status, string, error) {
	if secret != r.current {
		return identity.Gone, "", nil
	}
	r.current += "+"
	return identity.Active, r.current, nil
}

// TestCheckIdentitiesKeepsWhomALostSecretWouldDrop: when the rotated refresh
// token cannot be stored, the provider's refusal of the old one next time is
// no reason to disable the person.
func TestCheckIdentitiesKeepsWhomALostSecretWouldDrop(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	sealer, err := identity.NewSealer("a key for the tests, long enough")
	if err != nil {
		t.Fatal(err)
	}
	u := &duban.User{OrgID: o.org, Username: "zhangwei", Role: duban.RoleViewer, Source: "oidc", Subject: "sub-1"}
	must(t, o.st.CreateUser(ctx, duban.Actor{Username: "统一身份认证(oidc)", Role: duban.RoleAdmin}, u))
	must(t, o.st.SetExternalSecret(ctx, u.ID, sealer.Seal("rt")))
	src := &rotating{current: "rt"}
	st := &forgetful{Store: o.st, broken: true}
	job := &jobs.CheckIdentities{Store: st, Checkers: []identity.Checker{src}, Sealer: sealer}
	if err := job.Run(ctx, o.now); err == nil {
		t.Error("a rotated secret that could not be kept left no error")
	}
	st.broken = false
	if err := job.Run(ctx, o.now); err == nil {
		t.Error("the refusal of a replaced secret left no error")
	}
	got, err := o.st.FindUserByID(ctx, u.ID)
	must(t, err)
	if got.Disabled {
		t.Fatal("the person was disabled because their new secret was lost")
	}
	// Without the lost secret, the same refusal disables.
	job2 := &jobs.CheckIdentities{Store: o.st, Checkers: []identity.Checker{src}, Sealer: sealer}
	must(t, job2.Run(ctx, o.now))
	if got, _ := o.st.FindUserByID(ctx, u.ID); !got.Disabled {
		t.Error("a refusal with no lost secret behind it did not disable")
	}
}
