package web

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"duban"
	"duban/importer"
	"duban/metrics"
)

// Config holds the settings of the web server.
type Config struct {
	// SecureCookies marks the session cookie Secure. Set it whenever the server
	// is reached over HTTPS (directly or through a proxy).
	SecureCookies bool
	// MaxUploadBytes bounds an uploaded document, form fields included; 0 means
	// 32 MB.
	MaxUploadBytes int64
	// LoginRate and LoginBurst bound sign-in attempts per second over all
	// clients (a token bucket), far above one address's share; 0 means 50 per
	// second with bursts of 100.
	LoginRate  float64
	LoginBurst int
	// LoginAddressRate and LoginAddressBurst bound the sign-in attempts of
	// one client address (an IPv6 /64); 0 means one a second with bursts of
	// 30.
	LoginAddressRate  float64
	LoginAddressBurst int
	// LoginAccountRate and LoginAccountBurst bound the failed sign-ins for
	// one user name from all addresses; a right password costs nothing. 0
	// means bursts of 10, then one a minute (1/60 per second).
	LoginAccountRate  float64
	LoginAccountBurst int
	// ClientIPHeader names a header set by a trusted reverse proxy that holds
	// the client's address (X-Real-IP, or X-Forwarded-For whose last entry is
	// used). Empty means the connection's address. Login throttling keys on it.
	// When it is set, the proxy's X-Request-ID is also kept as the request's
	// ID if validRequestID accepts it.
	ClientIPHeader string
	// TrustedOrigins are other origins ("https://duban.example.gov.cn") allowed
	// to send state-changing browser requests. Same-origin requests and requests
	// without browser headers (scripts) are always allowed.
	TrustedOrigins []string
	// Location is the time zone days are counted in; nil means
	// Asia/Shanghai.
	Location *time.Location
	// UploadConcurrency is how many uploads of one kind (document imports,
	// edited ledgers, evidence) are read at a time; 0 means 2. UploadWait is
	// how long another waits for its turn before it is answered 503 with
	// Retry-After; 0 means 5 seconds.
	UploadConcurrency int
	UploadWait        time.Duration
	// Identity is sign-in through the government's identity systems.
	Identity IdentityConfig
	// MetricsOnOwnListener leaves GET /metrics out of the server's routes:
	// the metrics are served by MetricsHandler on a listener of its own.
	MetricsOnOwnListener bool
}

// location is the time zone days are counted in.
func (c Config) location() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}

// The defaults of Config; those of the sign-in limits are in loginlimit.go.
const (
	defaultMaxUploadBytes = 32 << 20
)

// Importer previews and confirms document imports; *importer.Service is the
// implementation.
type Importer interface {
	Preview(ctx context.Context, a duban.Actor, req importer.Request) (*importer.Preview, error)
	Confirm(ctx context.Context, a duban.Actor, req importer.Request) (*duban.ImportResult, error)
}

// Deps are what the server works with.
type Deps struct {
	Store    duban.Store
	Importer Importer
	// Now is the clock for sessions and throttling; nil means time.Now.
	Now func() time.Time
	// Cycles computes the reporting cycles of a schedule with an
	// organisation's calendar (calendar.Cycles); nil refuses schedules.
	Cycles func(duban.Schedule, []duban.CalendarDay) ([]duban.Cycle, error)
	// Tester sends test messages over notification channels; nil refuses
	// them.
	Tester ChannelTester
	// Metrics counts requests, submissions and cache lookups; nil means
	// metrics of the server's own (web/metrics.go).
	Metrics *metrics.Metrics
}

// Server is the HTTP face of duban. It is an http.Handler.
type Server struct {
	cfg      Config
	store    duban.Store
	importer Importer
	now      func() time.Time
	cycleFn  func(duban.Schedule, []duban.CalendarDay) ([]duban.Cycle, error)
	tester   ChannelTester
	logger   *slog.Logger

	mux     *http.ServeMux
	handler http.Handler
	// patterns lists every pattern registered on mux, for the test that holds
	// the OpenAPI document to the routes; pagePatterns lists the pages'.
	patterns     []string
	pagePatterns []string

	loginLimiter *rate.Limiter
	requestIDs   requestIDs

	// loginAddresses and loginAccounts throttle sign-in with loginLimiter
	// (loginlimit.go).
	loginAddresses *buckets
	loginAccounts  *buckets

	// ledgerPages keeps encoded ledger pages by ledger version; epoch, the
	// server's start, makes their ETags differ from any an earlier process
	// gave (a database restored from a backup counts its versions again).
	ledgerPages *ledgerPages
	epoch       string

	// uploads are the gates of the kinds of upload (upload.go).
	uploads [numUploadKinds]*uploadGate

	// metrics and metricsHandler count and serve the metrics; readiness
	// remembers the last probe (web/health.go, web/metrics.go).
	metrics        *metrics.Metrics
	metricsHandler http.Handler
	readiness      readiness
}

//go:embed openapi.json
var openAPIDocument []byte

// NewServer returns a server with every route registered. It panics when
// deps.Store or logger is nil or a trusted origin is malformed: these are
// mistakes in main, found at start-up.
func NewServer(cfg Config, deps Deps, logger *slog.Logger) *Server {
	if deps.Store == nil || logger == nil {
		panic("web.NewServer: nil store or logger")
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = defaultMaxUploadBytes
	}
	if cfg.LoginRate <= 0 {
		cfg.LoginRate = defaultLoginRate
	}
	if cfg.LoginBurst <= 0 {
		cfg.LoginBurst = defaultLoginBurst
	}
	if cfg.UploadConcurrency <= 0 {
		cfg.UploadConcurrency = defaultUploadConcurrency
	}
	if cfg.UploadWait <= 0 {
		cfg.UploadWait = defaultUploadWait
	}
	if cfg.LoginAddressRate <= 0 {
		cfg.LoginAddressRate = defaultLoginAddressRate
	}
	if cfg.LoginAddressBurst <= 0 {
		cfg.LoginAddressBurst = defaultLoginAddressBurst
	}
	if cfg.LoginAccountRate <= 0 {
		cfg.LoginAccountRate = defaultLoginAccountRate
	}
	if cfg.LoginAccountBurst <= 0 {
		cfg.LoginAccountBurst = defaultLoginAccountBurst
	}
	now := deps.Now
	if now == nil {
		now = time.Now
	}
	if deps.Metrics == nil {
		deps.Metrics = metrics.New()
	}
	// Every line logged while serving a request carries its ID.
	logger = withRequestIDs(logger)
	s := &Server{
		cfg:          cfg,
		store:        deps.Store,
		importer:     deps.Importer,
		now:          now,
		cycleFn:      deps.Cycles,
		tester:       deps.Tester,
		logger:       logger.With("component", "web"),
		mux:          http.NewServeMux(),
		loginLimiter: rate.NewLimiter(rate.Limit(cfg.LoginRate), cfg.LoginBurst),
		requestIDs:   newRequestIDs(),
		ledgerPages:  newLedgerPages(defaultLedgerPageBytes),
		epoch:        strconv.FormatInt(time.Now().UnixNano(), 36),
		metrics:      deps.Metrics,
	}
	s.metricsHandler = s.metrics.Handler(s.logger)
	s.metrics.WatchCache("ledger_pages", s.ledgerPages.lookups.stats)
	for kind := range s.uploads {
		s.uploads[kind] = newUploadGate(cfg.UploadConcurrency, cfg.UploadWait)
	}
	// The sign-in limits beside loginLimiter (loginlimit.go).
	s.loginAddresses = newBuckets(cfg.LoginAddressRate, cfg.LoginAddressBurst, defaultLoginLimiterKeys)
	s.loginAccounts = newBuckets(cfg.LoginAccountRate, cfg.LoginAccountBurst, defaultLoginLimiterKeys)
	s.registerRoutes()

	csrf := http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		if err := csrf.AddTrustedOrigin(o); err != nil {
			panic("web.NewServer: " + err.Error())
		}
	}
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, duban.Errorf(duban.CodeForbidden, "跨站请求被拒绝：请从本系统页面提交"))
	}))
	s.handler = s.observe(csrf.Handler(s.mux))
	return s
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// cycles computes a schedule's cycles, CodeInvalid when the server was built
// without the computation.
func (s *Server) cycles(sc duban.Schedule, days []duban.CalendarDay) ([]duban.Cycle, error) {
	if s.cycleFn == nil {
		return nil, duban.Errorf(duban.CodeInvalid, "本服务未配置填报周期计算")
	}
	return s.cycleFn(sc, days)
}

func (s *Server) registerRoutes() {
	s.handle("GET /api/v1/openapi.json", s.handleOpenAPI)
	s.handle("POST /api/v1/session", s.handleSessionCreate)
	s.handle("DELETE /api/v1/session", s.handleSessionDelete)
	s.handle("POST /login", s.handleLogin)
	s.handle("POST /logout", s.handleLogout)

	s.api("GET /api/v1/me", s.handleMe)
	s.api("POST /api/v1/tokens", s.handleTokenCreate)
	s.api("GET /api/v1/tokens", s.handleTokenIndex)
	s.api("DELETE /api/v1/tokens/{id}", s.handleTokenDelete)
	s.api("PUT /api/v1/me/password", s.handlePasswordChange)

	s.api("GET /api/v1/orgs", s.handleOrgIndex)
	s.api("POST /api/v1/orgs", s.handleOrgCreate)
	s.api("GET /api/v1/orgs/{id}/rollup", s.handleOrgRollup)

	s.api("GET /api/v1/units", s.handleUnitIndex)
	s.api("POST /api/v1/units", s.handleUnitCreate)
	s.api("PATCH /api/v1/units/{id}", s.handleUnitUpdate)

	s.api("GET /api/v1/people", s.handlePersonIndex)
	s.api("POST /api/v1/people", s.handlePersonCreate)

	s.api("POST /api/v1/documents/preview", s.handleDocumentPreview)
	s.api("POST /api/v1/documents", s.handleDocumentCreate)
	s.api("GET /api/v1/documents", s.handleDocumentIndex)
	s.api("GET /api/v1/documents/{id}", s.handleDocumentShow)
	s.api("GET /api/v1/documents/{id}/content", s.handleDocumentContent)

	s.api("GET /api/v1/tasks", s.handleTaskIndex)
	s.api("GET /api/v1/tasks/{id}", s.handleTaskShow)
	s.api("PATCH /api/v1/tasks/{id}", s.handleTaskUpdate)

	s.api("GET /api/v1/indicators", s.handleIndicatorIndex)
	s.api("GET /api/v1/indicators/evaluation", s.handleEvaluationIndex)
	s.api("GET /api/v1/indicators/lineage", s.handleLineageIndex)
	s.api("POST /api/v1/indicators/{id}/lineage", s.handleLineageCreate)
	s.api("DELETE /api/v1/indicators/{id}/lineage/{previous}", s.handleLineageDelete)
	s.api("GET /api/v1/indicators/polarity", s.handlePolarityShow)
	s.api("PUT /api/v1/indicators/polarity", s.handlePolarityUpdate)
	s.api("GET /api/v1/consistency", s.handleConsistencyShow)
	s.api("GET /api/v1/projections", s.handleProjectionIndex)
	s.api("GET /api/v1/ranking", s.handleRankingShow)
	s.api("GET /api/v1/ranking/rules", s.handleRankingRulesShow)
	s.api("PUT /api/v1/ranking/rules", s.handleRankingRulesUpdate)

	s.api("GET /api/v1/exports/ledger", s.handleExportLedger)
	s.api("GET /api/v1/exports/targets", s.handleExportTargets)
	s.api("GET /api/v1/exports/bulletin", s.handleExportBulletin)
	s.api("GET /api/v1/exports/unit-tasks", s.handleExportUnitTasks)
	s.api("POST /api/v1/ledger/edits/preview", s.handleLedgerEditsPreview)
	s.api("POST /api/v1/ledger/edits", s.handleLedgerEditsApply)

	s.api("GET /api/v1/cycles", s.handleCycleIndex)
	s.api("GET /api/v1/schedule", s.handleScheduleShow)
	s.api("PUT /api/v1/schedule", s.handleScheduleUpdate)
	s.api("GET /api/v1/calendar", s.handleCalendarShow)
	s.api("PUT /api/v1/calendar", s.handleCalendarUpdate)
	s.api("GET /api/v1/settings", s.handleSettingsShow)
	s.api("PUT /api/v1/settings", s.handleSettingsUpdate)

	s.api("GET /api/v1/reports", s.handleReportIndex)
	s.api("GET /api/v1/reports/{id}", s.handleReportShow)
	s.api("POST /api/v1/reports/{id}/reviews", s.handleReviewCreate)
	s.api("GET /api/v1/tasks/{id}/reports/{cycle}", s.handleTaskReportShow)
	s.api("GET /api/v1/tasks/{id}/reports/{cycle}/previous", s.handleTaskReportPrevious)
	s.api("PUT /api/v1/tasks/{id}/reports/{cycle}", s.handleTaskReportSave)
	s.api("POST /api/v1/tasks/{id}/reports/{cycle}/submit", s.handleTaskReportSubmit)
	s.api("GET /api/v1/tasks/{id}/contributions/{cycle}", s.handleContributionIndex)
	s.api("PUT /api/v1/tasks/{id}/contributions/{cycle}", s.handleContributionSave)
	s.api("GET /api/v1/tasks/{id}/evidence", s.handleEvidenceIndex)
	s.api("POST /api/v1/tasks/{id}/evidence", s.handleEvidenceCreate)
	s.api("GET /api/v1/evidence/{id}/content", s.handleEvidenceContent)
	s.api("POST /api/v1/tasks/{id}/close", s.handleTaskClose)
	s.api("POST /api/v1/tasks/{id}/reopen", s.handleTaskReopen)

	s.api("GET /api/v1/extensions", s.handleExtensionIndex)
	s.api("POST /api/v1/tasks/{id}/extensions", s.handleExtensionCreate)
	s.api("POST /api/v1/extensions/{id}/decision", s.handleExtensionDecide)
	s.api("GET /api/v1/notices", s.handleNoticeIndex)
	s.api("POST /api/v1/notices", s.handleNoticeCreate)
	s.api("POST /api/v1/notices/{id}/response", s.handleNoticeRespond)
	s.api("POST /api/v1/notices/{id}/close", s.handleNoticeClose)

	s.api("GET /api/v1/notifications", s.handleNotificationIndex)
	s.api("POST /api/v1/notifications/{id}/read", s.handleNotificationRead)
	s.api("POST /api/v1/notifications/read", s.handleNotificationReadAll)
	s.api("GET /api/v1/channels", s.handleChannelIndex)
	s.api("POST /api/v1/channels", s.handleChannelCreate)
	s.api("PUT /api/v1/channels/{id}", s.handleChannelUpdate)
	s.api("DELETE /api/v1/channels/{id}", s.handleChannelDelete)
	s.api("POST /api/v1/channels/{id}/test", s.handleChannelTest)
	s.api("GET /api/v1/deliveries", s.handleDeliveryIndex)

	s.api("GET /api/v1/users", s.handleUserIndex)
	s.api("POST /api/v1/users", s.handleUserCreate)
	s.api("PATCH /api/v1/users/{id}", s.handleUserUpdate)

	s.api("GET /api/v1/identity-requests", s.handleIdentityRequestIndex)
	s.api("POST /api/v1/identity-requests/{id}/decision", s.handleIdentityRequestDecide)

	s.api("GET /api/v1/audit", s.handleAuditIndex)

	s.registerPages()

	s.handle("GET /healthz", s.handleHealthz)
	s.handle("GET /readyz", s.handleReadyz)
	if !s.cfg.MetricsOnOwnListener {
		s.handle("GET /metrics", s.handleMetrics)
	}

	// Anything else under /api/ answers in JSON, not with the mux's text page.
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, duban.Errorf(duban.CodeNotFound, "接口不存在"))
	})
}

// handlerFunc is a handler that returns its error to the adapter.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// apiFunc is a handler for a signed-in caller.
type apiFunc func(w http.ResponseWriter, r *http.Request, c *caller) error

// handle registers a public route; routePermissions must say it is public.
func (s *Server) handle(pattern string, h handlerFunc) {
	if !permissionOf(pattern).public {
		panic("web: route " + pattern + " is registered as public but routePermissions says otherwise")
	}
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// api registers a route for signed-in callers whose role routePermissions
// allows it: 401 without a sign-in, 403 for another role.
func (s *Server) api(pattern string, h apiFunc) {
	perm := permissionOf(pattern)
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		c, err := s.authenticate(r)
		if err == nil {
			err = c.allow(perm)
		}
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(openAPIDocument)
	return nil
}
