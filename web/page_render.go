package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"duban"
)

// The HTML pages: templates parsed at start-up (one file per page over a
// shared layout), static files served under content-hashed names, and the
// adapter that signs callers in, checks roles and renders errors as pages.

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// asset is one static file, kept in memory with its gzipped form when that
// is smaller.
type asset struct {
	name        string // hashed: app.3f2a1b9c.css
	contentType string
	body        []byte
	gzipped     []byte
}

// assets maps a static file's path under static/ ("app.css",
// "vendor/htmx.min.js") to its hashed URL and content.
type assets struct {
	byPath map[string]*asset
	byName map[string]*asset
}

// loadAssets reads the embedded static files once. The hash in a name
// changes with the content, so a file can be cached for a year.
func loadAssets() *assets {
	a := &assets{byPath: map[string]*asset{}, byName: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(rel)
		hashed := strings.TrimSuffix(rel, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := &asset{name: hashed, contentType: ct, body: body}
		if ext == ".js" || ext == ".css" || ext == ".svg" || ext == ".txt" {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body) {
				f.gzipped = buf.Bytes()
			}
		}
		a.byPath[rel] = f
		a.byName[hashed] = f
		return nil
	})
	if err != nil {
		panic("web: static files: " + err.Error())
	}
	return a
}

// url returns the hashed URL of a static file; it panics on a name that does
// not exist, which a template parsed at start-up finds at once.
func (a *assets) url(p string) string {
	f, ok := a.byPath[p]
	if !ok {
		panic("web: no static file " + p)
	}
	return "/static/" + f.name
}

// serve answers GET /static/{name...}: a year of caching, gzip when the
// client takes it.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byName[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := f.body
	if f.gzipped != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gzipped
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// pageSet holds the parsed pages and the static files.
type pageSet struct {
	assets *assets
	pages  map[string]*template.Template
}

// pageNames are the templates under templates/, each parsed over
// layout.html.
var pageNames = []string{
	"login", "error", "dashboard", "ledger", "task", "portal", "report", "inbox",
	"ranking", "indicators", "import", "import_preview", "admin", "admin_unit",
	"ledger_edits", "ledger_edits_preview", "account", "signin_pending",
}

func newPageSet() *pageSet {
	ps := &pageSet{assets: loadAssets(), pages: map[string]*template.Template{}}
	funcs := template.FuncMap{
		"asset": ps.assets.url,
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"pct":   formatPercent,
		"lightClass": func(l duban.Light) string {
			if l == duban.LightNone {
				return "none"
			}
			return string(l)
		},
		"lines":       func(s string) []string { return strings.Split(s, "\n") },
		"deref":       func(p *int) int { return *p },
		"contains":    slices.Contains[[]string],
		"short":       shortText,
		"neg":         func(n int) int { return -n },
		"taskRef":     taskRef,
		"chartHeight": func(n int) int { return max(220, n*30+70) },
		"lightOf": func(v baser, l any) lightArg {
			switch l := l.(type) {
			case duban.Light:
				return lightArg{B: v.base(), L: l}
			case string:
				return lightArg{B: v.base(), L: duban.Light(l)}
			}
			return lightArg{B: v.base()}
		},
		"statuses": func() []duban.TaskStatus {
			return []duban.TaskStatus{duban.StatusNotStarted, duban.StatusOnTrack, duban.StatusBehind, duban.StatusDone, duban.StatusClosed}
		},
		"formOf": func(v baser, f *form) formArg { return formArg{B: v.base(), F: f} },
		"countsOf": func(v baser, rows []*lightCount, head string) countsArg {
			return countsArg{B: v.base(), Rows: rows, Head: head}
		},
		"tasksOf": func(v baser, tasks []*duban.Task, more int, light string) tasksArg {
			return tasksArg{B: v.base(), Tasks: tasks, More: more, Light: light}
		},
	}
	for _, name := range pageNames {
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", "templates/"+name+".html"))
		ps.pages[name] = t
	}
	return ps
}

// formatPercent writes a percentage without needless decimals: 62%, 62.5%,
// "—" for none.
func formatPercent(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(float64(int(*p*10+0.5))/10, 'f', -1, 64) + "%"
}

// pageBase is what every page's view holds: the language, who is signed in,
// the navigation, and the page's title.
type pageBase struct {
	Lang   lang
	Title  string
	Active string // the navigation entry of the page
	User   *duban.User
	Org    *duban.Org
	Nav    []navItem
	Path   string // the request's path and query, for the language switch
	Flash  string // a message after a redirect (?ok=…)
	Today  string
	tz     *time.Location
}

// baser is any page view: they all embed *pageBase.
type baser interface{ base() *pageBase }

func (b *pageBase) base() *pageBase { return b }

// The arguments of the partial templates.
type (
	lightArg struct {
		B *pageBase
		L duban.Light
	}
	countsArg struct {
		B    *pageBase
		Rows []*lightCount
		Head string
	}
	formArg struct {
		B *pageBase
		F *form
	}
	tasksArg struct {
		B     *pageBase
		Tasks []*duban.Task
		More  int
		Light string
	}
)

// navItem is an entry of the navigation bar.
type navItem struct {
	Key, Href string
}

// T returns the message of key in the page's language.
func (b *pageBase) T(key string) string { return b.Lang.T(key) }

// Tf formats the message of key with args.
func (b *pageBase) Tf(key string, args ...any) string { return fmt.Sprintf(b.Lang.T(key), args...) }

// LangURL is the current page in the other language.
func (b *pageBase) LangURL() string {
	u, err := url.Parse(b.Path)
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Del("ok")
	if b.Lang == langEN {
		q.Set("lang", "zh")
	} else {
		q.Set("lang", "en")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Is reports whether the signed-in user has one of the roles.
func (b *pageBase) Is(roles ...string) bool {
	return b.User != nil && slices.Contains(roles, string(b.User.Role))
}

// Status, Light and Role name the derived values in the page's language.
func (b *pageBase) Status(s duban.TaskStatus) string { return b.T("status." + string(s)) }
func (b *pageBase) Light(l duban.Light) string {
	if l == duban.LightNone {
		return b.T("light.none")
	}
	return b.T("light." + string(l))
}
func (b *pageBase) Role(r duban.Role) string                 { return b.T("role." + string(r)) }
func (b *pageBase) ReportStatus(s duban.ReportStatus) string { return b.T("report." + string(s)) }

// Time writes an instant as a local date and time: 2024-11-05 14:30.
func (b *pageBase) Time(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return "—"
		}
		return v.In(b.loc()).Format("2006-01-02 15:04")
	case *time.Time:
		if v == nil || v.IsZero() {
			return "—"
		}
		return v.In(b.loc()).Format("2006-01-02 15:04")
	}
	return ""
}

// location is set per request; pages render in the server's time zone.
func (b *pageBase) loc() *time.Location {
	if b.tz != nil {
		return b.tz
	}
	return time.UTC
}

// pageFunc is a page handler for a signed-in caller. It renders or
// redirects, or returns an error the adapter shows as a page.
type pageFunc func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error

// page registers an HTML page for signed-in callers whose role
// routePermissions allows it; another role gets the 403 page. A caller who
// is not signed in goes to the sign-in page and comes back after it.
func (s *Server) page(ps *pageSet, pattern string, h pageFunc) {
	perm := permissionOf(pattern)
	s.pagePatterns = append(s.pagePatterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		lg := requestLang(w, r)
		c, err := s.authenticate(r)
		if err != nil {
			if duban.ErrorCode(err) == duban.CodeUnauthorized {
				next := r.URL.Path
				if r.Method == http.MethodGet && r.URL.RawQuery != "" {
					next += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
				return
			}
			s.renderError(ps, w, r, lg, nil, err)
			return
		}
		b := s.newBase(r, c, lg)
		if err := c.allow(perm); err != nil {
			s.renderError(ps, w, r, lg, b, err)
			return
		}
		if err := h(w, r, c, b); err != nil {
			s.renderError(ps, w, r, lg, b, err)
		}
	})
}

// setPageHeaders marks a page private and limits what it may load to this
// server.
func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
}

// newBase fills what every page shows.
func (s *Server) newBase(r *http.Request, c *caller, lg lang) *pageBase {
	b := &pageBase{Lang: lg, Path: r.URL.RequestURI(), tz: s.cfg.location()}
	b.Today = s.now().In(s.cfg.location()).Format(time.DateOnly)
	if ok := r.URL.Query().Get("ok"); ok != "" && lg.has("ok."+ok) {
		b.Flash = lg.T("ok." + ok)
	}
	if c == nil {
		return b
	}
	b.User = c.user
	if org, err := s.store.FindOrgByID(r.Context(), c.user.OrgID); err == nil {
		b.Org = org
	}
	switch c.actor.Role {
	case duban.RoleReporter:
		b.Nav = []navItem{{"nav.portal", "/portal"}, {"nav.ledger", "/tasks"}, {"nav.dashboard", "/dashboard"}}
	case duban.RoleAdmin:
		b.Nav = []navItem{{"nav.dashboard", "/dashboard"}, {"nav.ledger", "/tasks"}, {"nav.inbox", "/inbox"},
			{"nav.ranking", "/ranking"}, {"nav.indicators", "/indicators"}, {"nav.import", "/import"}, {"nav.admin", "/admin"}}
	case duban.RoleSupervisor:
		b.Nav = []navItem{{"nav.dashboard", "/dashboard"}, {"nav.ledger", "/tasks"}, {"nav.inbox", "/inbox"},
			{"nav.ranking", "/ranking"}, {"nav.indicators", "/indicators"}}
	default:
		b.Nav = []navItem{{"nav.dashboard", "/dashboard"}, {"nav.ledger", "/tasks"},
			{"nav.ranking", "/ranking"}, {"nav.indicators", "/indicators"}}
	}
	return b
}

// render executes a page into a buffer, then writes it with its status: a
// template error becomes a 500, never half a page.
func (s *Server) render(ps *pageSet, w http.ResponseWriter, r *http.Request, status int, name string, view any) error {
	t, ok := ps.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, view); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

type errorView struct {
	*pageBase
	Status  int
	Message string
	// RequestID is shown for the user to quote to the help desk.
	RequestID string
}

// renderError shows an error as a page with its status. Internal errors are
// logged once here, with the request ID, and shown as 系统内部错误.
func (s *Server) renderError(ps *pageSet, w http.ResponseWriter, r *http.Request, lg lang, b *pageBase, err error) {
	status, detail := classify(err)
	if status == http.StatusInternalServerError {
		if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
			s.logger.InfoContext(r.Context(), "request canceled", "err", err)
		} else {
			s.logger.ErrorContext(r.Context(), "internal error",
				"method", r.Method, "path", r.URL.Path, "err", err)
		}
	}
	if b == nil {
		b = s.newBase(r, nil, lg)
	}
	msg := detail.Message
	switch status {
	case http.StatusNotFound:
		b.Title = lg.T("error.not_found")
	case http.StatusForbidden:
		b.Title = lg.T("error.forbidden")
	default:
		b.Title = lg.T("error.title")
	}
	if status == http.StatusInternalServerError {
		msg = lg.T("error.internal")
	}
	s.retryAfter(w, status)
	if rerr := s.render(ps, w, r, status, "error", errorView{pageBase: b, Status: status, Message: msg, RequestID: requestID(r.Context())}); rerr != nil {
		s.logger.ErrorContext(r.Context(), "render error page", "err", rerr)
		http.Error(w, internalMessage, http.StatusInternalServerError)
	}
}

// redirect answers a form with 303 to target, after the change it made.
func redirect(w http.ResponseWriter, r *http.Request, target string) error {
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// chartJSON encodes an ECharts option for a data-chart attribute.
func chartJSON(option any) string {
	b, err := json.Marshal(option)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// form is what a form was sent with and what is wrong with it, field by
// field, so that a form shown again keeps what was typed.
type form struct {
	Values  url.Values
	Errors  map[string]string
	Message string // an error that belongs to no one field
}

func newForm(v url.Values) *form {
	v = maps.Clone(v)
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}}
}

// V returns what was typed into a field.
func (f *form) V(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// E returns the error of a field, "" when there is none.
func (f *form) E(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// Has reports whether a checkbox or a multiple select holds value.
func (f *form) Has(name, value string) bool {
	return f != nil && slices.Contains(f.Values[name], value)
}

// Fail records an error of a field.
func (f *form) Fail(name, msg string) { f.Errors[name] = msg }

// need fails field name with missing when value is empty, and with the
// length rule's message (label naming the field) when value is longer than
// max characters.
func (f *form) need(name, value, missing, label string, max int) {
	if value == "" {
		f.Fail(name, missing)
	} else if err := checkLength(label, value, max); err != nil {
		f.Fail(name, duban.ErrorMessage(err))
	}
}

// OK reports whether the form has no errors.
func (f *form) OK() bool { return len(f.Errors) == 0 && f.Message == "" }

// Err records a store's error on the form: a domain error on field (or on
// the form when field is ""), anything else returned as is.
func (f *form) Err(field string, err error) error {
	code := duban.ErrorCode(err)
	switch code {
	case duban.CodeInvalid, duban.CodeConflict, duban.CodeForbidden, duban.CodeNotFound:
		if field == "" {
			f.Message = duban.ErrorMessage(err)
		} else {
			f.Fail(field, duban.ErrorMessage(err))
		}
		return nil
	}
	_, detail := classify(err)
	if detail.Code == codeTooLarge || detail.Code == duban.CodeInvalid {
		f.Message = detail.Message
		return nil
	}
	return err
}

// status is the status of a form shown again: 409 for a conflict, else 400.
func (f *form) status(err error) int {
	if duban.ErrorCode(err) == duban.CodeConflict {
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// parseForm reads a urlencoded form of at most max bytes.
func parseForm(w http.ResponseWriter, r *http.Request, max int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return duban.Errorf(duban.CodeInvalid, "表单无法解析")
	}
	return nil
}

// fieldView is one labelled input of a form, with what was typed and its
// error; the "field" template draws it.
type fieldView struct {
	ID, Name, Label, Type string
	Value                 string
	Err, Hint             string
	Required              bool
	Rows                  int
	Options               []option
	Class                 string
	Attrs                 template.HTMLAttr
}

// option is a choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// Described is the aria-describedby of the field: its hint and its error.
func (f fieldView) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, "f-"+f.ID+"-hint")
	}
	if f.Err != "" {
		ids = append(ids, "f-"+f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// field builds a fieldView from a form: typ is text, number, date, password,
// textarea, select or checkbox; opts are a select's choices.
func (f *form) field(name, label, typ string, required bool, opts ...option) fieldView {
	v := fieldView{ID: name, Name: name, Label: label, Type: typ, Value: f.V(name), Err: f.E(name),
		Required: required, Rows: 5}
	if typ == "select" {
		for _, o := range opts {
			o.Selected = o.Value == v.Value
			v.Options = append(v.Options, o)
		}
	}
	return v
}
