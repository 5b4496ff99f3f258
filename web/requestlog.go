package web

import (
	"context"
	"log/slog"
)

// requestIDHandler adds the request_id of the request a record is logged
// for, taken from the context, to every record that has none: whatever a
// handler logs with its request's context (InfoContext, LogAttrs) can be
// found by the ID the client was given.
type requestIDHandler struct {
	slog.Handler
}

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	id := requestID(ctx)
	if id == "" {
		return h.Handler.Handle(ctx, r)
	}
	has := false
	r.Attrs(func(a slog.Attr) bool {
		has = a.Key == "request_id"
		return !has
	})
	if !has {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// withRequestIDs returns logger logging through requestIDHandler.
func withRequestIDs(logger *slog.Logger) *slog.Logger {
	if _, ok := logger.Handler().(requestIDHandler); ok {
		return logger
	}
	return slog.New(requestIDHandler{logger.Handler()})
}

// validRequestID reports whether an X-Request-ID from a proxy may be used as
// the request's ID: 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-', so
// that it cannot forge log lines or carry markup into the error page.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}
