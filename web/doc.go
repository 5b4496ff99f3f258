// Package web serves duban over HTTP: the JSON API under /api/v1 (described by
// the OpenAPI document at /api/v1/openapi.json), sign-in with sessions and API
// tokens, and the middleware around them.
//
// Handlers return errors; one adapter (errors.go) turns a duban.Error code into
// an HTTP status and logs internal errors once. Scope (which tasks a reporter
// sees) is enforced by the store in its queries. What each role may do is one
// table, routePermissions in permissions.go: every route, page or API, names a
// permission (ranking, ledger.read, reports.review, users, audit, ...) with the
// roles that hold it and a note of the scope the store adds, so a page and the
// API call over the same resource answer a role alike. Registering a route the
// table lacks panics at start-up; TestRoutesByRole sends every route with every
// role and holds the answers to the table. The OpenAPI document is checked in
// scripts/test by swagger-cli and Redocly (scripts/openapi).
//
// For operators, /healthz and /readyz answer load balancers (health.go) and
// /metrics serves the counters of package metrics (metrics.go); every line
// logged while a request is served carries its request_id (requestlog.go).
package web
