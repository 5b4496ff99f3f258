package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"duban"
)

// TestLedgerPagesFollowChanges: a repeated ledger page is answered from the
// cache with the same bytes and an ETag, If-None-Match gets 304, and a change
// to any task gives the next reader the new ledger and a new ETag at once. A
// reporter's page is never cached or shared.
func TestLedgerPagesFollowChanges(t *testing.T) {
	h := newHarness(t, Config{})
	list := func(as string, header http.Header) response {
		t.Helper()
		return h.do(t, request{method: "GET", path: "/api/v1/tasks?org_id={org_a}&limit=500", as: as, header: header})
	}
	first := list("admin", nil)
	etag := first.header.Get("ETag")
	if first.status != 200 || etag == "" || first.header.Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("first page: %s %v", first, first.header)
	}
	cached := h.srv.Config.Handler.(*Server).ledgerPages.pages.Len()
	if cached != 1 {
		t.Errorf("%d pages cached after one read, want 1", cached)
	}
	again := list("supervisor", nil)
	if again.status != 200 || !bytes.Equal(again.body, first.body) || again.header.Get("ETag") != etag {
		t.Errorf("the same page for the supervisor: %s (ETag %q, want %q)", again, again.header.Get("ETag"), etag)
	}
	if n := h.srv.Config.Handler.(*Server).ledgerPages.pages.Len(); n != 1 {
		t.Errorf("%d pages cached after the same page twice, want 1", n)
	}
	for _, inm := range []string{etag, `"other", ` + etag, "W/" + etag, "*"} {
		if r := list("viewer", http.Header{"If-None-Match": {inm}}); r.status != http.StatusNotModified || len(r.body) != 0 {
			t.Errorf("If-None-Match %s: %s", inm, r)
		}
	}
	if r := list("viewer", http.Header{"If-None-Match": {`"stale"`}}); r.status != 200 || !bytes.Equal(r.body, first.body) {
		t.Errorf("If-None-Match of another version: %s", r)
	}

	// A change moves the version on: the next page is the new ledger.
	edit := h.do(t, request{method: "PATCH", path: "/api/v1/tasks/{task_a}", as: "admin", body: `{"version":1,"note":"缓存之后的备注"}`})
	if edit.status != 200 {
		t.Fatalf("edit: %s", edit)
	}
	after := list("admin", http.Header{"If-None-Match": {etag}})
	if after.status != 200 || !strings.Contains(string(after.body), "缓存之后的备注") || after.header.Get("ETag") == etag {
		t.Errorf("after an edit: %s (ETag %q, was %q)", after, after.header.Get("ETag"), etag)
	}

	// A reporter's page depends on their unit: no ETag, nothing cached, and
	// only their unit's tasks.
	before := h.srv.Config.Handler.(*Server).ledgerPages.pages.Len()
	rep := list("reporter_b", nil)
	var page taskList
	rep.decode(t, &page)
	if rep.status != 200 || rep.header.Get("ETag") != "" || len(page.Tasks) == 0 {
		t.Fatalf("reporter's page: %s %v", rep, rep.header)
	}
	for _, task := range page.Tasks {
		if !holdsUnit(task, h.ids["unit_b"]) {
			t.Errorf("reporter of unit B sees task %d (%s)", task.ID, task.Content)
		}
	}
	if n := h.srv.Config.Handler.(*Server).ledgerPages.pages.Len(); n != before {
		t.Errorf("a reporter's page was cached: %d pages, was %d", n, before)
	}
}

// holdsUnit reports whether task lists unit among its lead or responsible units.
func holdsUnit(t *duban.Task, unit int64) bool {
	for _, id := range append(append([]int64{}, t.LeadUnitIDs...), t.ResponsibleUnitIDs...) {
		if id == unit {
			return true
		}
	}
	return false
}

// TestLedgerPagesBounded: the cache drops the pages used least recently to
// stay within its bytes, and keeps no page larger than a quarter of them.
func TestLedgerPagesBounded(t *testing.T) {
	c := newLedgerPages(1000)
	for _, k := range []string{"a", "b", "c", "d"} {
		c.put(k, make([]byte, 250))
	}
	c.get("a") // b is now the least recently used
	c.put("e", make([]byte, 100))
	if c.get("b") != nil || c.get("a") == nil || c.get("c") == nil || c.get("d") == nil || c.get("e") == nil {
		t.Errorf("after filling: %d pages, b kept %v", c.pages.Len(), c.get("b") != nil)
	}
	if c.pages.Size() != 850 {
		t.Errorf("holds %d bytes, want 850", c.pages.Size())
	}
	c.put("huge", make([]byte, 251))
	if c.get("huge") != nil {
		t.Error("a page over a quarter of the cache was kept")
	}
	c.put("a", make([]byte, 10))
	if got := len(c.get("a")); got != 10 || c.pages.Size() != 610 {
		t.Errorf("replacing a: %d bytes, size %d", got, c.pages.Size())
	}
}
