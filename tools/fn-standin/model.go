package main

// The 2018 Fn v1 objects as the fn server of mid-2018 (0.3.x, when /v1 and
// /v2 were served side by side) put them on the wire. STAND-IN: Fn dropped
// the v1 API, so no real server can be built for it.

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// App is a v1 application. Apps are addressed by name in v1 URLs.
type App struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Config      Config      `json:"config,omitempty"`
	Annotations Annotations `json:"annotations,omitempty"`
	CreatedAt   Time        `json:"created_at"`
	UpdatedAt   Time        `json:"updated_at"`
}

// Route maps a path inside an app to a function image.
type Route struct {
	AppID       string              `json:"app_id"`
	Path        string              `json:"path"`
	Image       string              `json:"image"`
	Memory      uint64              `json:"memory"`
	CPUs        string              `json:"cpus,omitempty"`
	Type        string              `json:"type"`
	Format      string              `json:"format"`
	Timeout     int32               `json:"timeout"`
	IdleTimeout int32               `json:"idle_timeout"`
	Headers     map[string][]string `json:"headers,omitempty"`
	Config      Config              `json:"config,omitempty"`
	Annotations Annotations         `json:"annotations,omitempty"`
	CreatedAt   Time                `json:"created_at"`
	UpdatedAt   Time                `json:"updated_at"`
}

// Config is a string map; in an update an empty value removes the key.
type Config map[string]string

// Annotations hold arbitrary JSON values; in an update null removes the key.
type Annotations map[string]json.RawMessage

// Time marshals like Fn's common.DateTime: UTC, millisecond precision.
type Time time.Time

func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	parsed, err := time.Parse(time.RFC3339Nano, s)
	*t = Time(parsed)
	return err
}

// Defaults and limits of the 2018 server.
const (
	defaultMemory      = 128
	defaultTimeout     = 30
	defaultIdleTimeout = 30
	maxMemory          = 8 * 1024 // MiB
	maxSyncTimeout     = 120      // seconds
	maxAsyncTimeout    = 3600
	maxIdleTimeout     = 3600
	maxAppNameLength   = 30
)

// apiError is an error with the HTTP status the v1 API answered it with.
type apiError struct {
	code int
	msg  string
}

func (e *apiError) Error() string { return e.msg }

func errorf(code int, msg string) *apiError { return &apiError{code, msg} }

// The v1 error messages (wording and status as the 2018 server sent them).
var (
	errInvalidJSON       = errorf(http.StatusBadRequest, "Invalid JSON")
	errAppsMissingNew    = errorf(http.StatusBadRequest, "Missing new application")
	errAppsMissingName   = errorf(http.StatusBadRequest, "Missing app name")
	errAppsTooLongName   = errorf(http.StatusBadRequest, "App name must be 30 characters or less")
	errAppsInvalidName   = errorf(http.StatusBadRequest, "Invalid app name")
	errAppsAlreadyExists = errorf(http.StatusConflict, "App already exists")
	errAppsNameImmutable = errorf(http.StatusConflict, "Could not update - name is immutable")
	errAppsNotFound      = errorf(http.StatusNotFound, "App not found")
	errRoutesMissingNew  = errorf(http.StatusBadRequest, "Missing new route")
	errRoutesMissingPath = errorf(http.StatusBadRequest, "Missing route Path")
	errRoutesInvalidPath = errorf(http.StatusBadRequest, "Invalid route path format")
	errRoutesDynamicURL  = errorf(http.StatusBadRequest, "Dynamic URL is not allowed")
	errRoutesMissingImg  = errorf(http.StatusBadRequest, "Missing route Image")
	errRoutesInvalidType = errorf(http.StatusBadRequest, "Invalid route Type")
	errRoutesInvalidFmt  = errorf(http.StatusBadRequest, "Invalid route Format")
	errRoutesTimeout     = errorf(http.StatusBadRequest, "timeout value is out of range. Sync should be between 0 and 120, async should be between 0 and 3600")
	errRoutesIdleTimeout = errorf(http.StatusBadRequest, "idle_timeout value is out of range. It should be between 0 and 3600")
	errRoutesMemory      = errorf(http.StatusBadRequest, "memory value is out of range. It should be between 0 and 8192")
	errRoutesExists      = errorf(http.StatusConflict, "Route already exists")
	errRoutesImmutable   = errorf(http.StatusConflict, "Could not update - path is immutable")
	errRoutesNotFound    = errorf(http.StatusNotFound, "Route not found")
	errAnnotation        = errorf(http.StatusBadRequest, "Invalid annotation key or value")
)

func validateAppName(name string) error {
	switch {
	case name == "":
		return errAppsMissingName
	case len(name) > maxAppNameLength:
		return errAppsTooLongName
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return errAppsInvalidName
		}
	}
	return nil
}

func validateAnnotations(a Annotations) error {
	for k, v := range a {
		if k == "" || len(k) > 128 || strings.ContainsAny(k, " \t\r\n") || len(v) > 512 {
			return errAnnotation
		}
	}
	return nil
}

// setDefaults fills the zero fields of a new route, as the 2018 server did.
func (r *Route) setDefaults() {
	if r.Memory == 0 {
		r.Memory = defaultMemory
	}
	if r.Type == "" {
		r.Type = "sync"
	}
	if r.Format == "" {
		r.Format = "default"
	}
	if r.Timeout == 0 {
		r.Timeout = defaultTimeout
	}
	if r.IdleTimeout == 0 {
		r.IdleTimeout = defaultIdleTimeout
	}
}

// validate checks a complete route (after defaults or after a merge).
func (r *Route) validate() error {
	switch {
	case r.Path == "":
		return errRoutesMissingPath
	case !strings.HasPrefix(r.Path, "/"):
		return errRoutesInvalidPath
	case strings.Contains(r.Path, ":"):
		return errRoutesDynamicURL
	case r.Image == "":
		return errRoutesMissingImg
	case r.Type != "sync" && r.Type != "async":
		return errRoutesInvalidType
	case r.Format != "default" && r.Format != "http" && r.Format != "json" && r.Format != "cloudevent":
		return errRoutesInvalidFmt
	case r.Memory > maxMemory:
		return errRoutesMemory
	case r.IdleTimeout < 0 || r.IdleTimeout > maxIdleTimeout:
		return errRoutesIdleTimeout
	}
	maxTimeout := int32(maxSyncTimeout)
	if r.Type == "async" {
		maxTimeout = maxAsyncTimeout
	}
	if r.Timeout < 0 || r.Timeout > maxTimeout {
		return errRoutesTimeout
	}
	return validateAnnotations(r.Annotations)
}

// merge applies a PATCH/PUT body: non-zero fields replace, maps merge.
func (r *Route) merge(u *Route) {
	if u.Image != "" {
		r.Image = u.Image
	}
	if u.Memory != 0 {
		r.Memory = u.Memory
	}
	if u.CPUs != "" {
		r.CPUs = u.CPUs
	}
	if u.Type != "" {
		r.Type = u.Type
	}
	if u.Format != "" {
		r.Format = u.Format
	}
	if u.Timeout != 0 {
		r.Timeout = u.Timeout
	}
	if u.IdleTimeout != 0 {
		r.IdleTimeout = u.IdleTimeout
	}
	r.Config = mergeConfig(r.Config, u.Config)
	r.Annotations = mergeAnnotations(r.Annotations, u.Annotations)
	for k, v := range u.Headers {
		if r.Headers == nil {
			r.Headers = map[string][]string{}
		}
		if len(v) == 0 {
			delete(r.Headers, k)
		} else {
			r.Headers[k] = v
		}
	}
}

func mergeConfig(into, from Config) Config {
	for k, v := range from {
		if into == nil {
			into = Config{}
		}
		if v == "" {
			delete(into, k)
		} else {
			into[k] = v
		}
	}
	return into
}

func mergeAnnotations(into, from Annotations) Annotations {
	for k, v := range from {
		if into == nil {
			into = Annotations{}
		}
		if string(v) == "null" {
			delete(into, k)
		} else {
			into[k] = v
		}
	}
	return into
}

// newID returns a 26-character, time-ordered id in Crockford base32, the
// shape of Fn's ids (48 bits of milliseconds, then 80 random bits).
func newID() string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	_, _ = rand.Read(b[6:])
	// 128 bits -> 26 base32 digits (the first digit carries 3 bits).
	out := make([]byte, 26)
	var acc uint64
	bits := 0
	j := 25
	for i := 15; i >= 0; i-- {
		acc |= uint64(b[i]) << bits
		bits += 8
		for bits >= 5 && j >= 0 {
			out[j] = alphabet[acc&31]
			acc >>= 5
			bits -= 5
			j--
		}
	}
	out[0] = alphabet[acc&31]
	return string(out)
}
