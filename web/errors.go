package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"duban"
	"duban/ingest"
)

// codeTooLarge is the code of a request body over its limit (413). It is the
// web layer's own: the domain never sees such a request.
const codeTooLarge duban.Code = "too_large"

// internalMessage is all a client learns of an internal error.
const internalMessage = "系统内部错误"

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    duban.Code `json:"code"`
	Message string     `json:"message"`
	// RequestID is the request's X-Request-ID, for the user to quote to the
	// help desk; the server's log lines about the request carry it too.
	RequestID string `json:"request_id,omitempty"`
}

// statusOf returns the HTTP status for a domain error code.
func statusOf(code duban.Code) int {
	switch code {
	case duban.CodeInvalid:
		return http.StatusBadRequest
	case duban.CodeUnauthorized:
		return http.StatusUnauthorized
	case duban.CodeForbidden:
		return http.StatusForbidden
	case duban.CodeNotFound:
		return http.StatusNotFound
	case duban.CodeConflict:
		return http.StatusConflict
	case duban.CodeTooMany:
		return http.StatusTooManyRequests
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case codeBusy:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// classify turns an error into what the client is told.
func classify(err error) (status int, detail errorDetail) {
	var tooLarge *http.MaxBytesError
	var docErr *ingest.Error
	switch {
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, errorDetail{Code: codeTooLarge,
			Message: fmt.Sprintf("请求内容过大，上限为 %s", formatBytes(tooLarge.Limit))}
	case errors.As(err, &docErr):
		// A document the reader cannot read is the uploader's to fix.
		msg := docErr.Msg
		if docErr.Line > 0 {
			msg = fmt.Sprintf("第 %d 行：%s", docErr.Line, docErr.Msg)
		}
		return http.StatusBadRequest, errorDetail{Code: duban.CodeInvalid, Message: msg}
	}
	code := duban.ErrorCode(err)
	status = statusOf(code)
	if status == http.StatusInternalServerError {
		return status, errorDetail{Code: duban.CodeInternal, Message: internalMessage}
	}
	return status, errorDetail{Code: code, Message: duban.ErrorMessage(err)}
}

// writeError is the one place where an error becomes an answer. Internal
// errors are logged here, once, with the request ID; the client sees only
// "系统内部错误".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, detail := classify(err)
	if status == http.StatusInternalServerError {
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			// The client went away; nobody will read the answer.
			s.logger.InfoContext(r.Context(), "request canceled", "err", err)
		} else {
			s.logger.ErrorContext(r.Context(), "internal error",
				"method", r.Method, "path", r.URL.Path, "err", err)
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="duban"`)
	}
	s.retryAfter(w, status)
	detail.RequestID = requestID(r.Context())
	writeJSON(w, status, errorBody{detail})
}

// writeJSON writes v as the JSON body of an answer with the given status. It
// encodes before writing anything, so an encoding error (returned) can still
// become a proper 500.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return writeJSONBytes(w, status, append(b, '\n'))
}

// writeJSONBytes writes b, JSON already encoded, with its status.
func writeJSONBytes(w http.ResponseWriter, status int, b []byte) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
	return nil
}

// formatBytes writes a limit the way people say it: 32 MB, 512 KB.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}
