package duban

import (
	"errors"
	"fmt"
)

// Code classifies an Error. Only the web layer knows how a code becomes an HTTP
// status.
type Code string

// The error codes of the domain.
const (
	CodeInvalid      Code = "invalid"      // 400, or the form shown again with messages
	CodeUnauthorized Code = "unauthorized" // 401: not signed in, or a bad token
	CodeNotFound     Code = "not_found"    // 404
	CodeConflict     Code = "conflict"     // 409: a unique name taken, a stale version
	CodeForbidden    Code = "forbidden"    // 403: e.g. a unit touching another unit's task
	CodeTooMany      Code = "too_many"     // 429: login throttling
	CodeInternal     Code = "internal"     // 500: anything that is not a *duban.Error
)

// Error is a failure the user can act on. Message is shown as is (in Chinese).
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal for
// any other error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message of the first *Error in err's chain, or the
// generic message shown for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误"
}

// ErrSchemaOutdated is wrapped by a store's Open and Ready when the
// database's schema is not the one this program's migrations make.
var ErrSchemaOutdated = errors.New("database schema is out of date")
