package web

import (
	"fmt"
	"slices"

	"duban"
)

// permission is one thing a caller may do and the roles that may do it. A
// page and the API call over the same resource name the same permission in
// routePermissions, so they cannot answer a role differently.
type permission struct {
	// name is how tests and messages speak of it.
	name string
	// public means no sign-in is needed.
	public bool
	// roles may do it; nil means every signed-in role.
	roles []duban.Role
	// scope says what the store narrows further within those roles, in its
	// queries: it is documentation, not a check.
	scope string
}

// allows reports whether a signed-in caller of role may do it.
func (p *permission) allows(role duban.Role) bool {
	return p.public || p.roles == nil || slices.Contains(p.roles, role)
}

// Role sets of the permissions.
var (
	adminOnly   = []duban.Role{duban.RoleAdmin}
	officeRoles = []duban.Role{duban.RoleAdmin, duban.RoleSupervisor}
	// overviewRoles see roll-ups and comparisons over the whole organisation;
	// a reporter sees only their unit's tasks.
	overviewRoles = []duban.Role{duban.RoleAdmin, duban.RoleSupervisor, duban.RoleLeader, duban.RoleViewer}
	// reporterOnly write what units report; the store checks which units.
	reporterOnly = []duban.Role{duban.RoleReporter}
	// writerRoles add evidence: units to their reports, the office to a
	// closure.
	writerRoles = []duban.Role{duban.RoleAdmin, duban.RoleSupervisor, duban.RoleReporter}
)

// The permissions. Every role reads within its organisation (a city account,
// a supervisor of the parent organisation, also reads its districts' roll-ups);
// a reporter reads only the tasks its unit leads or shares, and what hangs on
// them. Writes are checked again by the store (which unit, which state).
var (
	permPublic     = &permission{name: "public", public: true, scope: "sign-in and sign-out, this API's description, the sign-in page and static files"}
	permAccount    = &permission{name: "account", scope: "the caller's own account, sessions and API tokens"}
	permOrgRead    = &permission{name: "org.read", scope: "the caller's organisation and those below it"}
	permOrgManage  = &permission{name: "org.manage", roles: adminOnly, scope: "organisations below the caller's"}
	permRollup     = &permission{name: "org.rollup", roles: overviewRoles, scope: "the caller's organisation and those below it"}
	permDirectory  = &permission{name: "directory.read", scope: "units and leaders of the caller's organisation"}
	permDirManage  = &permission{name: "directory.manage", roles: adminOnly}
	permDocRead    = &permission{name: "documents.read", scope: "documents of the caller's organisation"}
	permDocImport  = &permission{name: "documents.import", roles: adminOnly}
	permLedgerRead = &permission{name: "ledger.read", scope: "a reporter: its unit's tasks only"}
	permTaskEdit   = &permission{name: "ledger.edit", roles: officeRoles}
	permLedgerBulk = &permission{name: "ledger.bulk_edit", roles: writerRoles, scope: "a reporter: its unit's tasks only"}
	permExport     = &permission{name: "exports", scope: "what the caller may read: a reporter exports its unit's tasks only"}
	permBulletin   = &permission{name: "exports.bulletin", roles: overviewRoles, scope: "the organisation's bulletin compares every unit"}
	permIndicators = &permission{name: "indicators.read"}
	permIndManage  = &permission{name: "indicators.manage", roles: adminOnly}
	permAnalysis   = &permission{name: "analysis", roles: overviewRoles, scope: "consistency of documents and projections over the whole organisation"}
	// permRanking is 一榜: every unit's and leader's score with its deductions.
	// A unit's reporter is refused: a unit learns its standing from the office
	// (the bulletin it is sent), not by reading the other units' deductions.
	permRanking      = &permission{name: "ranking", roles: overviewRoles, scope: "every unit and leader of the organisation"}
	permRankingRules = &permission{name: "ranking.rules", scope: "the scoring rules are published to the units they score"}
	permRulesManage  = &permission{name: "ranking.rules.manage", roles: adminOnly}
	permSetupRead    = &permission{name: "reporting.setup.read", scope: "cycles, schedule, calendar and settings of the caller's organisation"}
	permSetupManage  = &permission{name: "reporting.setup.manage", roles: adminOnly}
	permReportsRead  = &permission{name: "reports.read", scope: "a reporter: its unit's tasks only; drafts only to their unit"}
	permReportWrite  = &permission{name: "reports.write", roles: reporterOnly, scope: "the lead unit writes the report, responsible units their contributions"}
	permReview       = &permission{name: "reports.review", roles: officeRoles}
	permEvidenceAdd  = &permission{name: "evidence.add", roles: writerRoles, scope: "a reporter: its unit's tasks only"}
	permClosure      = &permission{name: "tasks.close", roles: officeRoles}
	permSupervision  = &permission{name: "supervision.read", scope: "a reporter: extensions and notices of its unit's tasks only"}
	permInbox        = &permission{name: "supervision.inbox", roles: officeRoles}
	permExtRequest   = &permission{name: "extensions.request", roles: reporterOnly, scope: "the lead unit of the task"}
	permExtDecide    = &permission{name: "extensions.decide", roles: officeRoles}
	permNoticeIssue  = &permission{name: "notices.issue", roles: officeRoles}
	permNoticeAnswer = &permission{name: "notices.respond", roles: reporterOnly, scope: "the unit the notice is addressed to"}
	permNoticeClose  = &permission{name: "notices.close", roles: officeRoles}
	permNotification = &permission{name: "notifications", scope: "the caller's own notifications"}
	permChannelsRead = &permission{name: "channels.read", roles: officeRoles}
	permChannels     = &permission{name: "channels.manage", roles: adminOnly}
	permUsers        = &permission{name: "users", roles: adminOnly, scope: "users of the caller's organisation"}
	permAudit        = &permission{name: "audit", roles: officeRoles, scope: "the caller's organisation"}
	permAdminPages   = &permission{name: "administration", roles: adminOnly}
	// permProbe is for load balancers and Prometheus: no sign-in, and
	// nothing of any organisation in the answers (web/health.go,
	// web/metrics.go).
	permProbe = &permission{name: "operations", public: true, scope: "health probes and metrics: process and database state, counts by route"}
)

// routePermissions is the one table of who may call what: every route the
// server registers, page or API, by its pattern ("METHOD /path"). Registering
// a route that is missing here panics at start-up with the line to add; the
// test TestRoutesByRole walks every route with every role and holds the
// answers to this table.
var routePermissions = map[string]*permission{
	"GET /api/v1/openapi.json": permPublic,
	"POST /api/v1/session":     permPublic,
	"DELETE /api/v1/session":   permPublic,
	"POST /login":              permPublic,
	"POST /logout":             permPublic,
	"GET /login":               permPublic,
	"POST /signin":             permPublic,
	"GET /auth/oidc/login":     permPublic,
	"GET /auth/oidc/callback":  permPublic,
	"GET /static/{name...}":    permPublic,

	"GET /api/v1/me":                   permAccount,
	"POST /api/v1/tokens":              permAccount,
	"GET /api/v1/tokens":               permAccount,
	"DELETE /api/v1/tokens/{id}":       permAccount,
	"PUT /api/v1/me/password":          permAccount,
	"GET /account":                     permAccount,
	"POST /account/password":           permAccount,
	"POST /account/tokens":             permAccount,
	"POST /account/tokens/{id}/revoke": permAccount,

	"GET /api/v1/orgs":                   permOrgRead,
	"POST /api/v1/orgs":                  permOrgManage,
	"GET /api/v1/orgs/{id}/rollup":       permRollup,
	"GET /api/v1/units":                  permDirectory,
	"GET /api/v1/people":                 permDirectory,
	"POST /api/v1/units":                 permDirManage,
	"PATCH /api/v1/units/{id}":           permDirManage,
	"POST /api/v1/people":                permDirManage,
	"GET /api/v1/documents":              permDocRead,
	"GET /api/v1/documents/{id}":         permDocRead,
	"GET /api/v1/documents/{id}/content": permDocRead,
	"POST /api/v1/documents/preview":     permDocImport,
	"POST /api/v1/documents":             permDocImport,
	"GET /import":                        permDocImport,
	"POST /import/preview":               permDocImport,
	"POST /import/confirm":               permDocImport,

	"GET /{$}":                          permLedgerRead,
	"GET /dashboard":                    permLedgerRead,
	"GET /api/v1/tasks":                 permLedgerRead,
	"GET /tasks":                        permLedgerRead,
	"GET /api/v1/tasks/{id}":            permLedgerRead,
	"GET /tasks/{id}":                   permLedgerRead,
	"PATCH /api/v1/tasks/{id}":          permTaskEdit,
	"POST /api/v1/ledger/edits/preview": permLedgerBulk,
	"POST /api/v1/ledger/edits":         permLedgerBulk,
	"GET /ledger/edits":                 permLedgerBulk,
	"POST /ledger/edits/preview":        permLedgerBulk,
	"POST /ledger/edits":                permLedgerBulk,

	"GET /api/v1/exports/ledger":     permExport,
	"GET /export/ledger":             permExport,
	"GET /api/v1/exports/targets":    permExport,
	"GET /export/targets":            permExport,
	"GET /api/v1/exports/unit-tasks": permExport,
	"GET /export/unit-tasks":         permExport,
	"GET /api/v1/exports/bulletin":   permBulletin,
	"GET /export/bulletin":           permBulletin,

	"GET /api/v1/indicators":                            permIndicators,
	"GET /indicators":                                   permIndicators,
	"GET /api/v1/indicators/evaluation":                 permIndicators,
	"GET /api/v1/indicators/lineage":                    permIndicators,
	"GET /api/v1/indicators/polarity":                   permIndicators,
	"POST /api/v1/indicators/{id}/lineage":              permIndManage,
	"DELETE /api/v1/indicators/{id}/lineage/{previous}": permIndManage,
	"PUT /api/v1/indicators/polarity":                   permIndManage,
	"GET /api/v1/consistency":                           permAnalysis,
	"GET /api/v1/projections":                           permAnalysis,

	"GET /api/v1/ranking":       permRanking,
	"GET /ranking":              permRanking,
	"GET /api/v1/ranking/rules": permRankingRules,
	"PUT /api/v1/ranking/rules": permRulesManage,

	"GET /api/v1/cycles":   permSetupRead,
	"GET /api/v1/schedule": permSetupRead,
	"GET /api/v1/calendar": permSetupRead,
	"GET /api/v1/settings": permSetupRead,
	"PUT /api/v1/schedule": permSetupManage,
	"PUT /api/v1/calendar": permSetupManage,
	"PUT /api/v1/settings": permSetupManage,

	"GET /api/v1/reports":                             permReportsRead,
	"GET /api/v1/reports/{id}":                        permReportsRead,
	"GET /api/v1/tasks/{id}/reports/{cycle}":          permReportsRead,
	"GET /api/v1/tasks/{id}/reports/{cycle}/previous": permReportsRead,
	"GET /api/v1/tasks/{id}/contributions/{cycle}":    permReportsRead,
	"GET /api/v1/tasks/{id}/evidence":                 permReportsRead,
	"GET /api/v1/evidence/{id}/content":               permReportsRead,
	"PUT /api/v1/tasks/{id}/reports/{cycle}":          permReportWrite,
	"POST /api/v1/tasks/{id}/reports/{cycle}/submit":  permReportWrite,
	"PUT /api/v1/tasks/{id}/contributions/{cycle}":    permReportWrite,
	"GET /portal":                          permReportWrite,
	"GET /tasks/{id}/report/{cycle}":       permReportWrite,
	"POST /tasks/{id}/report/{cycle}":      permReportWrite,
	"PUT /tasks/{id}/report/{cycle}/draft": permReportWrite,
	"POST /api/v1/reports/{id}/reviews":    permReview,
	"POST /tasks/{id}/review":              permReview,
	"POST /api/v1/tasks/{id}/evidence":     permEvidenceAdd,
	"POST /tasks/{id}/evidence":            permEvidenceAdd,
	"POST /api/v1/tasks/{id}/close":        permClosure,
	"POST /tasks/{id}/close":               permClosure,
	"POST /api/v1/tasks/{id}/reopen":       permClosure,
	"POST /tasks/{id}/reopen":              permClosure,

	"GET /api/v1/extensions":                permSupervision,
	"GET /api/v1/notices":                   permSupervision,
	"GET /inbox":                            permInbox,
	"POST /api/v1/tasks/{id}/extensions":    permExtRequest,
	"POST /tasks/{id}/extensions":           permExtRequest,
	"POST /api/v1/extensions/{id}/decision": permExtDecide,
	"POST /extensions/{id}/decision":        permExtDecide,
	"POST /api/v1/notices":                  permNoticeIssue,
	"POST /tasks/{id}/notices":              permNoticeIssue,
	"POST /api/v1/notices/{id}/response":    permNoticeAnswer,
	"POST /notices/{id}/response":           permNoticeAnswer,
	"POST /api/v1/notices/{id}/close":       permNoticeClose,
	"POST /notices/{id}/close":              permNoticeClose,

	"GET /api/v1/notifications":            permNotification,
	"POST /api/v1/notifications/{id}/read": permNotification,
	"POST /api/v1/notifications/read":      permNotification,
	"GET /api/v1/channels":                 permChannelsRead,
	"GET /api/v1/deliveries":               permChannelsRead,
	"POST /api/v1/channels":                permChannels,
	"PUT /api/v1/channels/{id}":            permChannels,
	"DELETE /api/v1/channels/{id}":         permChannels,
	"POST /api/v1/channels/{id}/test":      permChannels,

	"GET /api/v1/users":                            permUsers,
	"POST /api/v1/users":                           permUsers,
	"PATCH /api/v1/users/{id}":                     permUsers,
	"GET /api/v1/identity-requests":                permUsers,
	"POST /api/v1/identity-requests/{id}/decision": permUsers,
	"GET /api/v1/audit":                            permAudit,

	"GET /admin":             permAdminPages,
	"POST /admin/{what}":     permAdminPages,
	"GET /admin/units/{id}":  permAdminPages,
	"POST /admin/units/{id}": permAdminPages,

	// For operators: probes and metrics.
	"GET /healthz": permProbe,
	"GET /readyz":  permProbe,
	"GET /metrics": permProbe,
}

// permissionOf returns the permission of a route pattern. A route missing
// from routePermissions is a mistake in this package, found at start-up: it
// panics with the line to add.
func permissionOf(pattern string) *permission {
	p, ok := routePermissions[pattern]
	if !ok {
		panic(fmt.Sprintf("web: route %q is not in routePermissions (web/permissions.go): add\n\t%q: permXxx,\nnaming the permission of the page or API call over the same resource (permAccount for the caller's own account)", pattern, pattern))
	}
	return p
}

// allow checks the caller's role against a permission: CodeForbidden when
// the role may not do it.
func (c *caller) allow(p *permission) error {
	if p.allows(c.actor.Role) {
		return nil
	}
	return duban.Errorf(duban.CodeForbidden, "当前角色无权执行此操作")
}
