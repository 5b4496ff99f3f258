package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban"
)

// maxJSONBytes bounds a JSON request body.
const maxJSONBytes = 1 << 20

// decodeJSON reads the request's JSON body into v. Unknown fields, trailing
// data, a wrong content type and a body over 1 MB are refused with
// CodeInvalid (or 413 for the size), so that a misspelt field never goes
// silently unapplied.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return duban.Errorf(duban.CodeInvalid, "请求体应为 JSON（Content-Type: application/json）")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return duban.Errorf(duban.CodeInvalid, "请求体只能包含一个 JSON 对象")
	}
	return nil
}

// jsonError turns a decoding error into a message naming the field at fault.
func jsonError(err error) error {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var domainErr *duban.Error
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.As(err, &domainErr):
		return domainErr
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return duban.Errorf(duban.CodeInvalid, "字段 %s 的类型不对", typeErr.Field)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return duban.Errorf(duban.CodeInvalid, "请求体不是有效的 JSON")
	case errors.Is(err, io.EOF):
		return duban.Errorf(duban.CodeInvalid, "请求体为空")
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return duban.Errorf(duban.CodeInvalid, "未知字段 %s", field)
	}
	return duban.Errorf(duban.CodeInvalid, "请求体无法解析")
}

// pathID reads the {id} of the route.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, duban.Errorf(duban.CodeInvalid, "编号应为正整数")
	}
	return id, nil
}

// queryInt64 reads an optional integer parameter; nil when absent or empty.
func queryInt64(q url.Values, name string) (*int64, error) {
	s := q.Get(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, duban.Errorf(duban.CodeInvalid, "参数 %s 应为整数", name)
	}
	return &n, nil
}

// queryInt reads an optional non-negative int parameter; nil when absent.
func queryInt(q url.Values, name string) (*int, error) {
	s := q.Get(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return nil, duban.Errorf(duban.CodeInvalid, "参数 %s 应为非负整数", name)
	}
	return &n, nil
}

// queryString reads an optional text parameter; nil when absent or blank.
func queryString(q url.Values, name string) *string {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return nil
	}
	return &s
}

// queryBool reads an optional boolean parameter (true, false, 1, 0).
func queryBool(q url.Values, name string) (bool, error) {
	s := q.Get(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, duban.Errorf(duban.CodeInvalid, "参数 %s 应为 true 或 false", name)
	}
	return b, nil
}

// page reads limit and offset. limit 0 or absent means def; above max is
// refused.
func page(q url.Values, def, max int) (limit, offset int, err error) {
	l, err := queryInt(q, "limit")
	if err != nil {
		return 0, 0, err
	}
	o, err := queryInt(q, "offset")
	if err != nil {
		return 0, 0, err
	}
	limit = def
	if l != nil && *l > 0 {
		limit = *l
	}
	if limit > max {
		return 0, 0, duban.Errorf(duban.CodeInvalid, "参数 limit 不能超过 %d", max)
	}
	if o != nil {
		offset = *o
	}
	return limit, offset, nil
}

// cleanName trims a name and checks that it is given and not over-long.
func cleanName(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", duban.Errorf(duban.CodeInvalid, "%s不能为空", field)
	}
	if utf8.RuneCountInString(s) > max {
		return "", duban.Errorf(duban.CodeInvalid, "%s不能超过 %d 个字", field, max)
	}
	return s, nil
}

// checkLength refuses a text over max characters.
func checkLength(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return duban.Errorf(duban.CodeInvalid, "%s不能超过 %d 个字", field, max)
	}
	return nil
}

// optionalID is a JSON field that tells "absent" (not given) from null
// (cleared) from a number (set), for the **int64 fields of updates.
type optionalID struct {
	set bool
	id  *int64
}

func (o *optionalID) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.id = nil
		return nil
	}
	var id int64
	if err := json.Unmarshal(b, &id); err != nil {
		return duban.Errorf(duban.CodeInvalid, "编号应为整数或 null")
	}
	o.id = &id
	return nil
}

// update returns the value for an update struct: nil when not given.
func (o optionalID) update() **int64 {
	if !o.set {
		return nil
	}
	return &o.id
}
