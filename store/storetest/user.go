package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
)

func testUsers(t *testing.T, e *env) {
	l := newLedger(t, e)
	t.Run("create", func(t *testing.T) {
		tests := []struct {
			name  string
			actor duban.Actor
			user  duban.User
			want  duban.Code
		}{
			{"reporter of a unit", l.admin, duban.User{OrgID: l.district, Username: " yz_tj ", Role: duban.RoleReporter, UnitID: &l.czj}, ""},
			{"leader as a person", l.cityAdmin, duban.User{OrgID: l.district, Username: "yz_chen", Role: duban.RoleLeader, PersonID: &l.chen}, ""},
			{"user name taken", l.admin, duban.User{OrgID: l.district, Username: "yz_admin", Role: duban.RoleViewer}, duban.CodeConflict},
			{"user name taken in another org", l.otherAdmin, duban.User{OrgID: l.other, Username: "yz_admin", Role: duban.RoleViewer}, duban.CodeConflict},
			{"reporter without a unit", l.admin, duban.User{OrgID: l.district, Username: "yz_x", Role: duban.RoleReporter}, duban.CodeInvalid},
			{"unit of another org", l.admin, duban.User{OrgID: l.district, Username: "yz_x", Role: duban.RoleReporter, UnitID: &l.otherFGW}, duban.CodeInvalid},
			{"unknown person", l.admin, duban.User{OrgID: l.district, Username: "yz_x", Role: duban.RoleLeader, PersonID: new(int64(987654))}, duban.CodeInvalid},
			{"unknown role", l.admin, duban.User{OrgID: l.district, Username: "yz_x", Role: "root"}, duban.CodeInvalid},
			{"no user name", l.admin, duban.User{OrgID: l.district, Role: duban.RoleViewer}, duban.CodeInvalid},
			{"supervisor may not", l.super, duban.User{OrgID: l.district, Username: "yz_x", Role: duban.RoleViewer}, duban.CodeForbidden},
			{"admin of another org", l.otherAdmin, duban.User{OrgID: l.district, Username: "yz_x", Role: duban.RoleViewer}, duban.CodeNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := tt.user
				u.PasswordHash = "$argon2id$v=19$x"
				err := e.s.CreateUser(e.ctx, tt.actor, &u)
				wantCode(t, "CreateUser", err, tt.want)
				if err != nil {
					return
				}
				got, err := e.s.FindUserByID(e.ctx, u.ID)
				must(t, "FindUserByID", err)
				if diff := cmp.Diff(&u, got); diff != "" {
					t.Errorf("FindUserByID mismatch (-want +got):\n%s", diff)
				}
				got, err = e.s.FindUserByUsername(e.ctx, u.Username)
				must(t, "FindUserByUsername", err)
				if diff := cmp.Diff(&u, got); diff != "" {
					t.Errorf("FindUserByUsername mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
	t.Run("find", func(t *testing.T) {
		users, err := e.s.FindUsers(e.ctx, l.district)
		must(t, "FindUsers", err)
		var names []string
		for _, u := range users {
			names = append(names, u.Username)
		}
		want := []string{"yz_admin", "yz_super", "yz_leader", "yz_viewer", "yz_fgw", "yz_czj", "yz_jfb", "yz_ctm", "yz_tj", "yz_chen"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("FindUsers mismatch (-want +got):\n%s", diff)
		}
		_, err = e.s.FindUserByID(e.ctx, 987654)
		wantCode(t, "FindUserByID(unknown)", err, duban.CodeNotFound)
		_, err = e.s.FindUserByUsername(e.ctx, "nobody")
		wantCode(t, "FindUserByUsername(unknown)", err, duban.CodeNotFound)
		wantMessage(t, "FindUserByUsername(unknown)", err, "用户不存在")
	})
	t.Run("update", func(t *testing.T) {
		id := l.repFGW.UserID
		u, err := e.s.UpdateUser(e.ctx, l.admin, id, duban.UserUpdate{Role: new(duban.RoleViewer), UnitID: new((*int64)(nil)), Disabled: new(true)})
		must(t, "admin updates", err)
		if u.Role != duban.RoleViewer || u.UnitID != nil || !u.Disabled {
			t.Errorf("after update: %+v", u)
		}
		u, err = e.s.UpdateUser(e.ctx, l.repJFB, l.repJFB.UserID, duban.UserUpdate{DisplayName: new("解放碑 小王"), PasswordHash: new("$argon2id$new")})
		must(t, "user changes own password", err)
		if u.PasswordHash != "$argon2id$new" || u.DisplayName != "解放碑 小王" {
			t.Errorf("after own update: %+v", u)
		}
		stored, err := e.s.FindUserByID(e.ctx, l.repJFB.UserID)
		must(t, "FindUserByID", err)
		if diff := cmp.Diff(u, stored); diff != "" {
			t.Errorf("stored user mismatch (-want +got):\n%s", diff)
		}
		entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: new("user"), EntityID: &l.repJFB.UserID, Limit: 1})
		must(t, "FindAudit", err)
		if entries[0].Action != "user.update_password" || entries[0].ActorID != l.repJFB.UserID {
			t.Errorf("audit of a password change = %+v", entries[0])
		}
		for _, en := range []json.RawMessage{entries[0].Before, entries[0].After} {
			if bytes.Contains(en, []byte("argon2id")) {
				t.Errorf("audit entry holds a password hash: %s", en)
			}
		}
		_, err = e.s.UpdateUser(e.ctx, l.repJFB, l.repJFB.UserID, duban.UserUpdate{Role: new(duban.RoleAdmin)})
		wantCode(t, "user changes own role", err, duban.CodeForbidden)
		_, err = e.s.UpdateUser(e.ctx, l.repJFB, l.repCTM.UserID, duban.UserUpdate{PasswordHash: new("x")})
		wantCode(t, "user changes another's password", err, duban.CodeForbidden)
		_, err = e.s.UpdateUser(e.ctx, l.admin, l.repCTM.UserID, duban.UserUpdate{UnitID: new((*int64)(nil))})
		wantCode(t, "reporter loses unit", err, duban.CodeInvalid)
		_, err = e.s.UpdateUser(e.ctx, l.otherAdmin, l.repCTM.UserID, duban.UserUpdate{Disabled: new(true)})
		wantCode(t, "admin of another org", err, duban.CodeNotFound)
		_, err = e.s.UpdateUser(e.ctx, l.admin, 987654, duban.UserUpdate{Disabled: new(true)})
		wantCode(t, "unknown user", err, duban.CodeNotFound)
	})
}

func testSessions(t *testing.T, e *env) {
	l := newLedger(t, e)
	now := e.clock.Now()
	s1 := &duban.Session{TokenHash: "hash-1", UserID: l.repFGW.UserID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}
	s2 := &duban.Session{TokenHash: "hash-2", UserID: l.repFGW.UserID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	s3 := &duban.Session{TokenHash: "hash-3", UserID: l.admin.UserID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	for _, s := range []*duban.Session{s1, s2, s3} {
		must(t, "CreateSession", e.s.CreateSession(e.ctx, s))
	}
	got, err := e.s.FindSession(e.ctx, "hash-1")
	must(t, "FindSession", err)
	if diff := cmp.Diff(s1, got); diff != "" {
		t.Errorf("FindSession mismatch (-want +got):\n%s", diff)
	}
	if got.TokenHash != "hash-1" {
		t.Errorf("TokenHash = %q", got.TokenHash)
	}
	err = e.s.CreateSession(e.ctx, &duban.Session{TokenHash: "hash-1", UserID: l.admin.UserID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now})
	wantCode(t, "CreateSession(same hash)", err, duban.CodeConflict)
	err = e.s.CreateSession(e.ctx, &duban.Session{TokenHash: "hash-x", UserID: 987654, CreatedAt: now, LastSeenAt: now, ExpiresAt: now})
	wantCode(t, "CreateSession(unknown user)", err, duban.CodeInvalid)

	seen := now.Add(30 * time.Minute)
	must(t, "TouchSession", e.s.TouchSession(e.ctx, "hash-1", seen))
	got, err = e.s.FindSession(e.ctx, "hash-1")
	must(t, "FindSession", err)
	if !got.LastSeenAt.Equal(seen) {
		t.Errorf("LastSeenAt = %v, want %v", got.LastSeenAt, seen)
	}
	wantCode(t, "TouchSession(unknown)", e.s.TouchSession(e.ctx, "nope", seen), duban.CodeNotFound)

	// Past its expiry a session is not found.
	e.clock.Advance(2 * time.Hour)
	_, err = e.s.FindSession(e.ctx, "hash-2")
	wantCode(t, "FindSession(expired)", err, duban.CodeNotFound)
	_, err = e.s.FindSession(e.ctx, "hash-1")
	must(t, "FindSession(live)", err)

	must(t, "DeleteSession", e.s.DeleteSession(e.ctx, "hash-3"))
	_, err = e.s.FindSession(e.ctx, "hash-3")
	wantCode(t, "FindSession(deleted)", err, duban.CodeNotFound)
	must(t, "DeleteSession(again)", e.s.DeleteSession(e.ctx, "hash-3"))

	must(t, "DeleteUserSessions", e.s.DeleteUserSessions(e.ctx, l.repFGW.UserID))
	_, err = e.s.FindSession(e.ctx, "hash-1")
	wantCode(t, "FindSession(after DeleteUserSessions)", err, duban.CodeNotFound)
	must(t, "DeleteUserSessions(none left)", e.s.DeleteUserSessions(e.ctx, l.repFGW.UserID))

	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, ActorID: &l.repFGW.UserID})
	must(t, "FindAudit", err)
	var actions []string
	for _, en := range entries {
		actions = append(actions, en.Action)
		if en.Actor != "yz_fgw" {
			t.Errorf("session audit actor = %q, want yz_fgw", en.Actor)
		}
	}
	if diff := cmp.Diff([]string{"session.delete_all", "session.create", "session.create"}, actions); diff != "" {
		t.Errorf("session audit mismatch (-want +got):\n%s", diff)
	}
}

func testAPITokens(t *testing.T, e *env) {
	l := newLedger(t, e)
	tok := &duban.APIToken{UserID: l.repFGW.UserID, Name: " 报表脚本 ", TokenHash: "tok-1"}
	must(t, "CreateAPIToken(own)", e.s.CreateAPIToken(e.ctx, l.repFGW, tok))
	if tok.ID == 0 || tok.Name != "报表脚本" || !tok.CreatedAt.Equal(e.clock.Now()) || tok.LastUsedAt != nil {
		t.Errorf("CreateAPIToken filled in %+v", tok)
	}
	must(t, "CreateAPIToken(admin for a user)", e.s.CreateAPIToken(e.ctx, l.admin, &duban.APIToken{UserID: l.repCZJ.UserID, TokenHash: "tok-2"}))
	err := e.s.CreateAPIToken(e.ctx, l.repFGW, &duban.APIToken{UserID: l.repCZJ.UserID, TokenHash: "tok-3"})
	wantCode(t, "CreateAPIToken(for another)", err, duban.CodeForbidden)
	err = e.s.CreateAPIToken(e.ctx, l.repFGW, &duban.APIToken{UserID: l.repFGW.UserID, TokenHash: "tok-1"})
	wantCode(t, "CreateAPIToken(same hash)", err, duban.CodeConflict)
	err = e.s.CreateAPIToken(e.ctx, l.admin, &duban.APIToken{UserID: 987654, TokenHash: "tok-4"})
	wantCode(t, "CreateAPIToken(unknown user)", err, duban.CodeNotFound)

	e.clock.Advance(time.Hour)
	got, err := e.s.FindAPIToken(e.ctx, "tok-1")
	must(t, "FindAPIToken", err)
	used := e.clock.Now()
	want := *tok
	want.LastUsedAt = &used
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("FindAPIToken mismatch (-want +got):\n%s", diff)
	}
	// Within a minute the use is not written again.
	e.clock.Advance(10 * time.Second)
	got, err = e.s.FindAPIToken(e.ctx, "tok-1")
	must(t, "FindAPIToken", err)
	if !got.LastUsedAt.Equal(used) {
		t.Errorf("LastUsedAt = %v, want %v", got.LastUsedAt, used)
	}
	_, err = e.s.FindAPIToken(e.ctx, "nope")
	wantCode(t, "FindAPIToken(unknown)", err, duban.CodeNotFound)
}

func testLoginFailures(t *testing.T, e *env) {
	t0 := e.clock.Now()
	steps := []struct {
		key       string
		at, since time.Duration
		want      int
	}{
		{"zhang|10.0.0.1", 0, 0, 1},
		{"zhang|10.0.0.1", time.Minute, 0, 2},
		{"li|10.0.0.2", time.Minute, 0, 1},
		{"zhang|10.0.0.1", 2 * time.Minute, 0, 3},
		{"zhang|10.0.0.1", 20 * time.Minute, 90 * time.Second, 2},
		{"zhang|10.0.0.1", 21 * time.Minute, 90 * time.Second, 3},
	}
	for i, st := range steps {
		got, err := e.s.RecordLoginFailure(e.ctx, st.key, t0.Add(st.at), t0.Add(st.since))
		must(t, "RecordLoginFailure", err)
		if got != st.want {
			t.Errorf("step %d: RecordLoginFailure(%s) = %d, want %d", i, st.key, got, st.want)
		}
	}
	must(t, "ClearLoginFailures", e.s.ClearLoginFailures(e.ctx, "zhang|10.0.0.1"))
	// A user name tried once and never again is pruned by time alone.
	for i := range 3 {
		if _, err := e.s.RecordLoginFailure(e.ctx, fmt.Sprintf("nobody-%d|10.9.9.9", i), t0, t0); err != nil {
			t.Fatal(err)
		}
	}
	pruned, err := e.s.PruneLoginFailures(e.ctx, t0.Add(time.Second))
	must(t, "PruneLoginFailures", err)
	if pruned != 3 {
		t.Errorf("PruneLoginFailures = %d, want the 3 failures of t0", pruned)
	}
	got, err := e.s.RecordLoginFailure(e.ctx, "nobody-0|10.9.9.9", t0.Add(time.Minute), t0)
	must(t, "RecordLoginFailure", err)
	if got != 1 {
		t.Errorf("after pruning: %d failures, want 1", got)
	}
	got, err = e.s.RecordLoginFailure(e.ctx, "zhang|10.0.0.1", t0.Add(22*time.Minute), t0)
	must(t, "RecordLoginFailure", err)
	if got != 1 {
		t.Errorf("after clearing: %d failures, want 1", got)
	}
	got, err = e.s.RecordLoginFailure(e.ctx, "li|10.0.0.2", t0.Add(22*time.Minute), t0)
	must(t, "RecordLoginFailure", err)
	if got != 2 {
		t.Errorf("other key after clearing: %d failures, want 2", got)
	}
}
