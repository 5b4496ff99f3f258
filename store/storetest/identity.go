package storetest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
)

// identityActor is how the web server provisions: the system, named after the
// identity system.
func identityActor() duban.Actor {
	return duban.Actor{Username: "统一身份认证(oidc)", Role: duban.RoleAdmin}
}

// orgActions returns the actions of an organisation's audit log, oldest
// first.
func orgActions(t *testing.T, e *env, org int64) []string {
	t.Helper()
	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: org, Limit: 1000})
	must(t, "FindAudit", err)
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func testExternalUsers(t *testing.T, e *env) {
	l := newLedger(t, e)
	u := &duban.User{OrgID: l.district, Username: "zhangsan", DisplayName: "张三", Role: duban.RoleSupervisor,
		Source: "oidc", Subject: "sub-1"}
	must(t, "CreateUser(external)", e.s.CreateUser(e.ctx, identityActor(), u))

	got, err := e.s.FindExternalUser(e.ctx, "oidc", "sub-1")
	must(t, "FindExternalUser", err)
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("FindExternalUser mismatch (-want +got):\n%s", diff)
	}
	_, err = e.s.FindExternalUser(e.ctx, "ldap", "sub-1")
	wantCode(t, "FindExternalUser(other source)", err, duban.CodeNotFound)
	_, err = e.s.FindExternalUser(e.ctx, "", "")
	wantCode(t, "FindExternalUser(local)", err, duban.CodeNotFound)

	// The same subject of the same source is one person.
	again := &duban.User{OrgID: l.district, Username: "zhangsan2", Role: duban.RoleViewer, Source: "oidc", Subject: "sub-1"}
	wantCode(t, "CreateUser(same subject)", e.s.CreateUser(e.ctx, identityActor(), again), duban.CodeConflict)
	// A source without a subject is refused.
	half := &duban.User{OrgID: l.district, Username: "half", Role: duban.RoleViewer, Source: "oidc"}
	wantCode(t, "CreateUser(no subject)", e.s.CreateUser(e.ctx, identityActor(), half), duban.CodeInvalid)

	must(t, "SetExternalSecret", e.s.SetExternalSecret(e.ctx, u.ID, "sealed"))
	local, err := e.s.FindUserByUsername(e.ctx, "yz_admin")
	must(t, "FindUserByUsername", err)
	wantCode(t, "SetExternalSecret(local user)", e.s.SetExternalSecret(e.ctx, local.ID, "x"), duban.CodeNotFound)

	accounts, err := e.s.FindExternalAccounts(e.ctx, "oidc")
	must(t, "FindExternalAccounts", err)
	want := []duban.ExternalAccount{{UserID: u.ID, OrgID: l.district, Username: "zhangsan", Subject: "sub-1", Secret: "sealed"}}
	if diff := cmp.Diff(want, accounts); diff != "" {
		t.Errorf("FindExternalAccounts mismatch (-want +got):\n%s", diff)
	}
	if acts := orgActions(t, e, l.district); !slices.Contains(acts, "user.provision") {
		t.Errorf("audit log %v has no user.provision", acts)
	}
}

func testIdentityRequests(t *testing.T, e *env) {
	l := newLedger(t, e)
	in := &duban.IdentityRequest{Source: "ldap", Subject: "uid=lisi,ou=people,dc=test", Username: "lisi", DisplayName: "李四",
		Unit: "区住建委", Groups: []string{"全体职工"}}
	r, err := e.s.RecordIdentityRequest(e.ctx, in)
	must(t, "RecordIdentityRequest", err)
	if r.OrgID != l.city || r.Status != duban.RequestPending || r.Attempts != 1 || r.Unit != "区住建委" {
		t.Fatalf("request = %+v, want pending in the city (%d), one attempt", r, l.city)
	}
	in.DisplayName = "李四（改）"
	r2, err := e.s.RecordIdentityRequest(e.ctx, in)
	must(t, "RecordIdentityRequest(again)", err)
	if r2.ID != r.ID || r2.Attempts != 2 || r2.DisplayName != "李四（改）" {
		t.Errorf("second attempt = %+v, want the same request counted twice with the new name", r2)
	}

	// Who sees the requests: the city's admin, not a district's, nor a
	// supervisor.
	list, err := e.s.FindIdentityRequests(e.ctx, l.cityAdmin, duban.RequestPending)
	must(t, "FindIdentityRequests", err)
	if len(list) != 1 || list[0].ID != r.ID {
		t.Errorf("city admin sees %d requests, want the one", len(list))
	}
	list, err = e.s.FindIdentityRequests(e.ctx, l.admin, "")
	must(t, "FindIdentityRequests(district)", err)
	if len(list) != 0 {
		t.Errorf("district admin sees %d requests of the city", len(list))
	}
	_, err = e.s.FindIdentityRequests(e.ctx, l.super, "")
	wantCode(t, "FindIdentityRequests(supervisor)", err, duban.CodeForbidden)
	_, err = e.s.FindIdentityRequests(e.ctx, l.cityAdmin, "nonsense")
	wantCode(t, "FindIdentityRequests(bad status)", err, duban.CodeInvalid)

	// A district admin cannot decide the city's request; a reporter needs a
	// unit; then the city's admin approves into the district.
	_, _, err = e.s.DecideIdentityRequest(e.ctx, l.admin, r.ID, duban.IdentityDecision{Approve: true, Role: duban.RoleViewer})
	wantCode(t, "DecideIdentityRequest(district admin)", err, duban.CodeNotFound)
	_, _, err = e.s.DecideIdentityRequest(e.ctx, l.cityAdmin, r.ID, duban.IdentityDecision{Approve: true, OrgID: l.district, Role: duban.RoleReporter})
	wantCode(t, "DecideIdentityRequest(reporter without unit)", err, duban.CodeInvalid)
	dr, u, err := e.s.DecideIdentityRequest(e.ctx, l.cityAdmin, r.ID, duban.IdentityDecision{Approve: true, OrgID: l.district,
		Role: duban.RoleReporter, UnitID: &l.fgw})
	must(t, "DecideIdentityRequest(approve)", err)
	if dr.Status != duban.RequestApproved || dr.UserID == nil || *dr.UserID != u.ID || dr.DecidedAt == nil {
		t.Errorf("decided request = %+v", dr)
	}
	got, err := e.s.FindExternalUser(e.ctx, "ldap", "uid=lisi,ou=people,dc=test")
	must(t, "FindExternalUser", err)
	if got.Role != duban.RoleReporter || got.UnitID == nil || *got.UnitID != l.fgw || got.OrgID != l.district || got.DisplayName != "李四（改）" {
		t.Errorf("approved user = %+v", got)
	}
	_, _, err = e.s.DecideIdentityRequest(e.ctx, l.cityAdmin, r.ID, duban.IdentityDecision{})
	wantCode(t, "DecideIdentityRequest(twice)", err, duban.CodeConflict)

	// A rejected person stays rejected when they try again.
	other, err := e.s.RecordIdentityRequest(e.ctx, &duban.IdentityRequest{Source: "oidc", Subject: "s-9", Username: "wangwu"})
	must(t, "RecordIdentityRequest(other)", err)
	_, _, err = e.s.DecideIdentityRequest(e.ctx, l.cityAdmin, other.ID, duban.IdentityDecision{Approve: false})
	must(t, "DecideIdentityRequest(reject)", err)
	again, err := e.s.RecordIdentityRequest(e.ctx, &duban.IdentityRequest{Source: "oidc", Subject: "s-9", Username: "wangwu"})
	must(t, "RecordIdentityRequest(rejected, again)", err)
	if again.Status != duban.RequestRejected {
		t.Errorf("rejected person trying again is %q", again.Status)
	}

	acts := orgActions(t, e, l.city)
	for _, want := range []string{"identity.request", "identity.approve", "identity.reject"} {
		if !slices.Contains(acts, want) {
			t.Errorf("city audit log %v has no %s", acts, want)
		}
	}
	if acts := orgActions(t, e, l.district); !slices.Contains(acts, "user.provision") {
		t.Errorf("district audit log %v has no user.provision", acts)
	}
}

func testSignInEvents(t *testing.T, e *env) {
	l := newLedger(t, e)
	admin, err := e.s.FindUserByUsername(e.ctx, "yz_admin")
	must(t, "FindUserByUsername", err)
	must(t, "RecordSignIn(known)", e.s.RecordSignIn(e.ctx, duban.SignInEvent{UserID: admin.ID, Username: "yz_admin",
		Method: "password", Outcome: "failed", Reason: "wrong password", Address: "10.0.0.1"}))
	must(t, "RecordSignIn(unknown)", e.s.RecordSignIn(e.ctx, duban.SignInEvent{Username: "nobody", Method: "ldap", Outcome: "failed"}))
	must(t, "RecordSignIn(pending)", e.s.RecordSignIn(e.ctx, duban.SignInEvent{Username: "lisi", Method: "oidc", Outcome: "pending"}))

	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, Entity: new("user"), EntityID: &admin.ID})
	must(t, "FindAudit", err)
	if len(entries) == 0 || entries[0].Action != "session.fail" || entries[0].ActorID != admin.ID || entries[0].Actor != "yz_admin" {
		t.Fatalf("district audit of the admin = %+v, want a session.fail by yz_admin first", entries)
	}
	acts := orgActions(t, e, l.city)
	if !slices.Contains(acts, "session.fail") || !slices.Contains(acts, "session.pending") {
		t.Errorf("city audit log %v lacks the unknown name's failure or the pending sign-in", acts)
	}
}
