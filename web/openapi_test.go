package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// loadSpec loads and validates the embedded OpenAPI document once per test
// binary.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	// The validator decodes bodies by media type; teach it the ones it lacks.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	for _, ct := range []string{
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "application/ofd",
		"application/msword", "application/vnd.ms-excel",
	} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDocument)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return doc, nil
})

func mustSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := loadSpec()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

func mustRouter(t *testing.T) routers.Router {
	t.Helper()
	r, err := specRouter()
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return r
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	mustSpec(t)
}

// TestOpenAPICoversRoutes holds the document to the mux: every registered
// route is described, and every described operation is registered.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc := mustSpec(t)
	s := NewServer(Config{}, Deps{Store: fakeStore{}}, discardLogger())
	var registered []string
	for _, p := range s.patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			t.Errorf("route %q has no method", p)
			continue
		}
		registered = append(registered, method+" "+path)
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("route %s %s is not in openapi.json", method, path)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !slices.Contains(registered, method+" "+path) {
				t.Errorf("openapi.json describes %s %s, which is not registered", method, path)
			}
		}
	}
}

// validateExchange checks a request and its response against the document.
// Requests meant to break the contract (checkRequest false) still need a
// documented response.
func validateExchange(t *testing.T, req *http.Request, reqBody []byte, status int, header http.Header, body []byte, checkRequest bool) {
	t.Helper()
	router := mustRouter(t)
	route, params, err := router.FindRoute(req)
	if err != nil && !checkRequest {
		return // a path outside the API on purpose
	}
	if err != nil {
		t.Errorf("openapi: %s %s: no route: %v", req.Method, req.URL.Path, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	}
	if checkRequest {
		r := req.Clone(req.Context())
		r.Body = http.NoBody
		if reqBody != nil {
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
		}
		in.Request = r
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("openapi: request %s %s does not match: %v", req.Method, req.URL, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("openapi: response %d to %s %s does not match: %v\nbody: %.500s", status, req.Method, req.URL, err, body)
	}
}
