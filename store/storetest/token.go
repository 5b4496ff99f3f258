package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
)

// tokenIDs returns the IDs of toks in order.
func tokenIDs(toks []*duban.APIToken) []int64 {
	ids := []int64{}
	for _, t := range toks {
		ids = append(ids, t.ID)
	}
	return ids
}

// auditActions returns the actions of an organisation's audit log about
// entity, oldest first, each with the name of its actor.
func auditActions(t *testing.T, e *env, orgID int64, entity string) []string {
	t.Helper()
	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: orgID, Entity: &entity})
	must(t, "FindAudit", err)
	var got []string
	for i := len(entries) - 1; i >= 0; i-- {
		got = append(got, entries[i].Actor+" "+entries[i].Action)
	}
	return got
}

func testAPITokenExpiryAndRevocation(t *testing.T, e *env) {
	l := newLedger(t, e)
	now := e.clock.Now()
	soon := now.Add(time.Hour)
	forever := &duban.APIToken{UserID: l.repFGW.UserID, Name: "长期", TokenHash: "tok-forever"}
	short := &duban.APIToken{UserID: l.repFGW.UserID, Name: "一小时", TokenHash: "tok-short", ExpiresAt: &soon}
	other := &duban.APIToken{UserID: l.repCZJ.UserID, Name: "别人的", TokenHash: "tok-other"}
	must(t, "CreateAPIToken(forever)", e.s.CreateAPIToken(e.ctx, l.repFGW, forever))
	must(t, "CreateAPIToken(short)", e.s.CreateAPIToken(e.ctx, l.repFGW, short))
	must(t, "CreateAPIToken(other)", e.s.CreateAPIToken(e.ctx, l.repCZJ, other))
	past := now.Add(-time.Second)
	err := e.s.CreateAPIToken(e.ctx, l.repFGW, &duban.APIToken{UserID: l.repFGW.UserID, TokenHash: "tok-past", ExpiresAt: &past})
	wantCode(t, "CreateAPIToken(expired already)", err, duban.CodeInvalid)

	got, err := e.s.FindAPIToken(e.ctx, "tok-short")
	must(t, "FindAPIToken(short)", err)
	if got.ExpiresAt == nil || !got.ExpiresAt.Equal(soon) || got.Expired(now) {
		t.Errorf("FindAPIToken(short).ExpiresAt = %v, want %v and not expired", got.ExpiresAt, soon)
	}

	short.LastUsedAt = &now // the use FindAPIToken recorded
	list, err := e.s.FindAPITokens(e.ctx, l.repFGW, l.repFGW.UserID)
	must(t, "FindAPITokens(own)", err)
	if diff := cmp.Diff([]*duban.APIToken{forever, short}, list); diff != "" {
		t.Errorf("FindAPITokens(own) mismatch (-want +got):\n%s", diff)
	}
	list, err = e.s.FindAPITokens(e.ctx, l.admin, l.repFGW.UserID)
	must(t, "FindAPITokens(admin)", err)
	if diff := cmp.Diff([]int64{forever.ID, short.ID}, tokenIDs(list)); diff != "" {
		t.Errorf("FindAPITokens(admin) mismatch (-want +got):\n%s", diff)
	}
	_, err = e.s.FindAPITokens(e.ctx, l.repCZJ, l.repFGW.UserID)
	wantCode(t, "FindAPITokens(another reporter)", err, duban.CodeForbidden)
	_, err = e.s.FindAPITokens(e.ctx, l.otherAdmin, l.repFGW.UserID)
	if c := duban.ErrorCode(err); c != duban.CodeForbidden && c != duban.CodeNotFound {
		t.Errorf("FindAPITokens(admin of another org): code %q, want forbidden or not_found", c)
	}
	_, err = e.s.FindAPITokens(e.ctx, l.admin, 987654)
	wantCode(t, "FindAPITokens(unknown user)", err, duban.CodeNotFound)

	// Past its expiry a token is still found, so that the caller can say it
	// expired, and still listed; its use is no longer recorded.
	e.clock.Advance(2 * time.Hour)
	got, err = e.s.FindAPIToken(e.ctx, "tok-short")
	must(t, "FindAPIToken(expired)", err)
	if !got.Expired(e.clock.Now()) || got.LastUsedAt == nil || !got.LastUsedAt.Equal(now) {
		t.Errorf("FindAPIToken(expired) = %+v, want expired and last used at %v", got, now)
	}

	// Only the owner (or an admin) revokes, only once, and only the owner's.
	err = e.s.RevokeAPIToken(e.ctx, l.repCZJ, l.repFGW.UserID, forever.ID)
	wantCode(t, "RevokeAPIToken(another reporter)", err, duban.CodeForbidden)
	err = e.s.RevokeAPIToken(e.ctx, l.repFGW, l.repFGW.UserID, other.ID)
	wantCode(t, "RevokeAPIToken(a token of another user)", err, duban.CodeNotFound)
	must(t, "RevokeAPIToken(own)", e.s.RevokeAPIToken(e.ctx, l.repFGW, l.repFGW.UserID, forever.ID))
	err = e.s.RevokeAPIToken(e.ctx, l.repFGW, l.repFGW.UserID, forever.ID)
	wantCode(t, "RevokeAPIToken(again)", err, duban.CodeNotFound)
	_, err = e.s.FindAPIToken(e.ctx, "tok-forever")
	wantCode(t, "FindAPIToken(revoked)", err, duban.CodeNotFound)
	list, err = e.s.FindAPITokens(e.ctx, l.repFGW, l.repFGW.UserID)
	must(t, "FindAPITokens(after revoking)", err)
	if diff := cmp.Diff([]int64{short.ID}, tokenIDs(list)); diff != "" {
		t.Errorf("FindAPITokens(after revoking) mismatch (-want +got):\n%s", diff)
	}
	must(t, "RevokeAPIToken(admin)", e.s.RevokeAPIToken(e.ctx, l.admin, l.repCZJ.UserID, other.ID))

	want := []string{"yz_fgw api_token.create", "yz_fgw api_token.create", "yz_czj api_token.create",
		"yz_fgw api_token.revoke", "yz_admin api_token.revoke"}
	if diff := cmp.Diff(want, auditActions(t, e, l.district, "api_token")); diff != "" {
		t.Errorf("token audit mismatch (-want +got):\n%s", diff)
	}
}

// sessionFor stores a session of u that lasts a day.
func sessionFor(t *testing.T, e *env, u duban.Actor, hash string) {
	t.Helper()
	now := e.clock.Now()
	must(t, "CreateSession", e.s.CreateSession(e.ctx, &duban.Session{TokenHash: hash, UserID: u.UserID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}))
}

// liveCredentials returns which of the session and token hashes still sign
// someone in.
func liveCredentials(t *testing.T, e *env, sessions, tokens []string) []string {
	t.Helper()
	live := []string{}
	for _, h := range sessions {
		_, err := e.s.FindSession(e.ctx, h)
		if err == nil {
			live = append(live, h)
		} else if duban.ErrorCode(err) != duban.CodeNotFound {
			t.Fatalf("FindSession(%s): %v", h, err)
		}
	}
	for _, h := range tokens {
		_, err := e.s.FindAPIToken(e.ctx, h)
		if err == nil {
			live = append(live, h)
		} else if duban.ErrorCode(err) != duban.CodeNotFound {
			t.Fatalf("FindAPIToken(%s): %v", h, err)
		}
	}
	return live
}

func testCredentialsEndOnReset(t *testing.T, e *env) {
	l := newLedger(t, e)
	sessions := []string{"s-fgw-1", "s-fgw-2", "s-czj"}
	tokens := []string{"t-fgw-1", "t-fgw-2", "t-czj"}
	sessionFor(t, e, l.repFGW, "s-fgw-1")
	sessionFor(t, e, l.repFGW, "s-fgw-2")
	sessionFor(t, e, l.repCZJ, "s-czj")
	for i, u := range []duban.Actor{l.repFGW, l.repFGW, l.repCZJ} {
		must(t, "CreateAPIToken", e.s.CreateAPIToken(e.ctx, u, &duban.APIToken{UserID: u.UserID, TokenHash: tokens[i]}))
	}

	// A change of display name ends nothing.
	_, err := e.s.UpdateUser(e.ctx, l.admin, l.repFGW.UserID, duban.UserUpdate{DisplayName: new("发改委填报员")})
	must(t, "UpdateUser(display name)", err)
	if diff := cmp.Diff(append(sessions, tokens...), liveCredentials(t, e, sessions, tokens)); diff != "" {
		t.Errorf("after renaming (-want +got):\n%s", diff)
	}

	// An admin's password reset ends the user's sessions and tokens, no one
	// else's.
	_, err = e.s.UpdateUser(e.ctx, l.admin, l.repFGW.UserID, duban.UserUpdate{PasswordHash: new("new-hash")})
	must(t, "UpdateUser(password)", err)
	if diff := cmp.Diff([]string{"s-czj", "t-czj"}, liveCredentials(t, e, sessions, tokens)); diff != "" {
		t.Errorf("after the reset (-want +got):\n%s", diff)
	}

	// Disabling does the same.
	_, err = e.s.UpdateUser(e.ctx, l.admin, l.repCZJ.UserID, duban.UserUpdate{Disabled: new(true)})
	must(t, "UpdateUser(disable)", err)
	if diff := cmp.Diff([]string{}, liveCredentials(t, e, sessions, tokens)); diff != "" {
		t.Errorf("after disabling (-want +got):\n%s", diff)
	}

	want := []string{
		"yz_admin user.update",
		"yz_admin user.update_password", "yz_admin session.delete_all", "yz_admin api_token.revoke_all",
		"yz_admin user.update", "yz_admin session.delete_all", "yz_admin api_token.revoke_all",
	}
	got := auditActions(t, e, l.district, "user")
	// Sign-ins are audited on the user too; only the admin's entries count.
	var admin []string
	for _, a := range got {
		if len(a) > 9 && a[:9] == "yz_admin " {
			admin = append(admin, a)
		}
	}
	if diff := cmp.Diff(want, admin[len(admin)-len(want):]); diff != "" {
		t.Errorf("audit mismatch (-want +got):\n%s", diff)
	}
}

func testChangePassword(t *testing.T, e *env) {
	l := newLedger(t, e)
	sessions := []string{"s-here", "s-there", "s-czj"}
	tokens := []string{"t-fgw", "t-czj"}
	sessionFor(t, e, l.repFGW, "s-here")
	sessionFor(t, e, l.repFGW, "s-there")
	sessionFor(t, e, l.repCZJ, "s-czj")
	must(t, "CreateAPIToken", e.s.CreateAPIToken(e.ctx, l.repFGW, &duban.APIToken{UserID: l.repFGW.UserID, TokenHash: "t-fgw"}))
	must(t, "CreateAPIToken", e.s.CreateAPIToken(e.ctx, l.repCZJ, &duban.APIToken{UserID: l.repCZJ.UserID, TokenHash: "t-czj"}))

	wantCode(t, "ChangePassword(system)", e.s.ChangePassword(e.ctx, l.sys, "h", ""), duban.CodeForbidden)
	wantCode(t, "ChangePassword(empty hash)", e.s.ChangePassword(e.ctx, l.repFGW, "", "s-here"), duban.CodeInvalid)

	must(t, "ChangePassword", e.s.ChangePassword(e.ctx, l.repFGW, "changed-hash", "s-here"))
	u, err := e.s.FindUserByID(e.ctx, l.repFGW.UserID)
	must(t, "FindUserByID", err)
	if u.PasswordHash != "changed-hash" {
		t.Errorf("PasswordHash = %q, want changed-hash", u.PasswordHash)
	}
	if diff := cmp.Diff([]string{"s-here", "s-czj", "t-czj"}, liveCredentials(t, e, sessions, tokens)); diff != "" {
		t.Errorf("after the change (-want +got):\n%s", diff)
	}

	entries, _, err := e.s.FindAudit(e.ctx, duban.AuditFilter{OrgID: l.district, ActorID: &l.repFGW.UserID, Limit: 3})
	must(t, "FindAudit", err)
	var got []string
	for _, en := range entries {
		got = append(got, en.Action+" "+string(en.After))
		if !en.At.Equal(e.clock.Now()) || en.EntityID != l.repFGW.UserID {
			t.Errorf("audit entry %s at %v about %d, want now about the user", en.Action, en.At, en.EntityID)
		}
	}
	want := []string{`api_token.revoke_all {"tokens":1}`, `session.delete_all {"sessions":1}`, "user.change_password "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit mismatch (-want +got):\n%s", diff)
	}
}
