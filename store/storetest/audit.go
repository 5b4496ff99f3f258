package storetest

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
)

// testAudit makes every kind of change and checks that each left an entry:
// the action, the entity, the author and the time of the store's clock.
func testAudit(t *testing.T, e *env) {
	l := newLedger(t, e)
	var unitID int64
	tests := []struct {
		action, entity string
		actor          duban.Actor
		change         func(t *testing.T) (org, entityID int64)
	}{
		{"org.create", "org", l.admin, func(t *testing.T) (int64, int64) {
			o := &duban.Org{Name: "经开区", ParentID: &l.district}
			must(t, "CreateOrg", e.s.CreateOrg(e.ctx, l.admin, o))
			return o.ID, o.ID
		}},
		{"unit.create", "unit", l.admin, func(t *testing.T) (int64, int64) {
			u := &duban.Unit{OrgID: l.district, Name: "区统计局"}
			must(t, "CreateUnit", e.s.CreateUnit(e.ctx, l.admin, u))
			unitID = u.ID
			return l.district, u.ID
		}},
		{"unit.update", "unit", l.admin, func(t *testing.T) (int64, int64) {
			_, err := e.s.UpdateUnit(e.ctx, l.admin, unitID, duban.UnitUpdate{Aliases: &[]string{"统计局"}})
			must(t, "UpdateUnit", err)
			return l.district, unitID
		}},
		{"person.create", "person", l.admin, func(t *testing.T) (int64, int64) {
			p := &duban.Person{OrgID: l.district, Name: "周强"}
			must(t, "CreatePerson", e.s.CreatePerson(e.ctx, l.admin, p))
			return l.district, p.ID
		}},
		{"document.import", "document", l.admin, func(t *testing.T) (int64, int64) {
			res, err := e.s.ApplyImport(e.ctx, l.admin, &duban.ImportPlan{OrgID: l.district, Document: duban.Document{Content: []byte("空文件")}})
			must(t, "ApplyImport", err)
			return l.district, res.DocumentID
		}},
		{"task.update", "task", l.super, func(t *testing.T) (int64, int64) {
			task := l.tasks["十1"]
			_, err := e.s.UpdateTask(e.ctx, l.super, task.ID, duban.TaskUpdate{Version: 1, Note: new("按季度报送")})
			must(t, "UpdateTask", err)
			return l.district, task.ID
		}},
		{"user.create", "user", l.admin, func(t *testing.T) (int64, int64) {
			u := &duban.User{OrgID: l.district, Username: "yz_new", Role: duban.RoleViewer}
			must(t, "CreateUser", e.s.CreateUser(e.ctx, l.admin, u))
			return l.district, u.ID
		}},
		{"user.update", "user", l.admin, func(t *testing.T) (int64, int64) {
			_, err := e.s.UpdateUser(e.ctx, l.admin, l.viewer.UserID, duban.UserUpdate{Disabled: new(true)})
			must(t, "UpdateUser", err)
			return l.district, l.viewer.UserID
		}},
		{"session.create", "user", l.repCTM, func(t *testing.T) (int64, int64) {
			now := e.clock.Now()
			must(t, "CreateSession", e.s.CreateSession(e.ctx, &duban.Session{TokenHash: "h", UserID: l.repCTM.UserID,
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))
			return l.district, l.repCTM.UserID
		}},
		{"session.delete", "user", l.repCTM, func(t *testing.T) (int64, int64) {
			must(t, "DeleteSession", e.s.DeleteSession(e.ctx, "h"))
			return l.district, l.repCTM.UserID
		}},
		{"api_token.create", "api_token", l.repCTM, func(t *testing.T) (int64, int64) {
			tok := &duban.APIToken{UserID: l.repCTM.UserID, TokenHash: "t"}
			must(t, "CreateAPIToken", e.s.CreateAPIToken(e.ctx, l.repCTM, tok))
			return l.district, tok.ID
		}},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			e.clock.Advance(time.Minute)
			org, id := tt.change(t)
			entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: org, Limit: 1})
			must(t, "FindAudit", err)
			if len(entries) != 1 {
				t.Fatalf("no audit entry")
			}
			got := entries[0]
			want := duban.AuditEntry{ID: got.ID, OrgID: org, ActorID: tt.actor.UserID, Actor: tt.actor.Username, At: e.clock.Now(),
				Action: tt.action, Entity: tt.entity, EntityID: id, Before: got.Before, After: got.After}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("audit entry mismatch (-want +got):\n%s", diff)
			}
			for _, raw := range []json.RawMessage{got.Before, got.After} {
				if raw != nil && !json.Valid(raw) {
					t.Errorf("audit JSON is not valid: %s", raw)
				}
			}
		})
	}

	t.Run("filters and pages", func(t *testing.T) {
		all, total, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Limit: 1000})
		must(t, "FindAudit", err)
		if total != len(all) || total < 20 {
			t.Fatalf("total = %d with %d entries", total, len(all))
		}
		for i := 1; i < len(all); i++ {
			if all[i].ID >= all[i-1].ID || all[i].At.After(all[i-1].At) {
				t.Fatalf("entries not newest first at %d", i)
			}
		}
		page, total2, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Limit: 3, Offset: 2})
		must(t, "FindAudit(page)", err)
		if total2 != total || len(page) != 3 || page[0].ID != all[2].ID {
			t.Errorf("page: total %d, %d entries", total2, len(page))
		}
		task := l.tasks["十1"]
		byTask, n, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: new("task"), EntityID: &task.ID})
		must(t, "FindAudit(task)", err)
		if n != 2 || byTask[0].Action != "task.update" || byTask[1].Action != "task.create" {
			t.Errorf("task's entries: %d", n)
		}
		wantJSON(t, "task.create after", byTask[1].After, task)
		if byTask[1].Before != nil {
			t.Errorf("task.create before = %s, want none", byTask[1].Before)
		}
		bySuper, n, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, ActorID: &l.super.UserID})
		must(t, "FindAudit(actor)", err)
		if n != 1 || bySuper[0].Action != "task.update" {
			t.Errorf("supervisor's entries: %d", n)
		}
		none, n, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: 987654})
		must(t, "FindAudit(unknown org)", err)
		if n != 0 || none == nil {
			t.Errorf("unknown org: %d entries", n)
		}
	})
}

// testAuditAppendOnly changes the audit log behind the store's back: the
// database itself refuses.
func testAuditAppendOnly(t *testing.T, e *env) {
	l := newLedger(t, e)
	raw, ok := e.s.(RawDB)
	if !ok {
		t.Fatalf("store %T has no DB method", e.s)
	}
	db := raw.DB()
	before, total, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Limit: 1000})
	must(t, "FindAudit", err)
	for _, stmt := range []string{
		`UPDATE audit_log SET actor = 'nobody'`,
		`UPDATE audit_log SET after = NULL WHERE id = ` + strconv.FormatInt(before[0].ID, 10),
		`DELETE FROM audit_log`,
		`DELETE FROM audit_log WHERE id = ` + strconv.FormatInt(before[0].ID, 10),
	} {
		if _, err := db.ExecContext(e.ctx, stmt); err == nil {
			t.Errorf("%s: no error, want the audit log to refuse", stmt)
		}
	}
	after, total2, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Limit: 1000})
	must(t, "FindAudit", err)
	if total2 != total {
		t.Fatalf("audit entries: %d after, %d before", total2, total)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("audit log changed (-before +after):\n%s", diff)
	}
}

// wantJSON fails the test unless raw is the JSON of a value equal to want.
func wantJSON[T any](t *testing.T, what string, raw json.RawMessage, want *T) {
	t.Helper()
	got := new(T)
	if err := json.Unmarshal(raw, got); err != nil {
		t.Fatalf("%s: %v in %s", what, err, raw)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	}
}
