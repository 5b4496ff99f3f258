// Package web serves duban over HTTP: the JSON API under /api/v1 (described by
// the OpenAPI document at /api/v1/openapi.json), sign-in with sessions and API
// tokens, and the middleware around them.
//
// Handlers return errors; one adapter (errors.go) turns a duban.Error code into
// an HTTP status and logs internal errors once. Scope (which tasks a reporter
// sees) is enforced by the store in its queries; handlers check what each role
// may do (DOMAIN.md, "Who uses it").
package web
