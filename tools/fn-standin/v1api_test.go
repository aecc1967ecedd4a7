package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// newServer starts the stand-in; runner may be nil.
func newServer(t *testing.T, runner *url.URL) string {
	t.Helper()
	st := newStore()
	srv := httptest.NewServer((&v1API{store: st, invoke: newInvoker(st, runner)}).routes())
	t.Cleanup(srv.Close)
	return srv.URL
}

func call(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v", method, url, err)
	}
	return resp.StatusCode, out
}

func errMessage(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}

func TestAppsLifecycleAndErrors(t *testing.T) {
	base := newServer(t, nil)

	code, body := call(t, "POST", base+"/v1/apps", `{"app":{"name":"hello-app","config":{"K":"V"}}}`)
	app, _ := body["app"].(map[string]any)
	if code != 200 || app["name"] != "hello-app" || len(app["id"].(string)) != 26 {
		t.Fatalf("create: %d %v", code, body)
	}
	if _, err := time.Parse(time.RFC3339, app["created_at"].(string)); err != nil {
		t.Fatalf("created_at: %v", err)
	}

	cases := []struct {
		method, path, body string
		code               int
		msg                string
	}{
		{"POST", "/v1/apps", `{"app":{"name":"hello-app"}}`, 409, "App already exists"},
		{"POST", "/v1/apps", `{"app":{"name":"bad name"}}`, 400, "Invalid app name"},
		{"POST", "/v1/apps", `{"app":{"name":"` + strings.Repeat("a", 31) + `"}}`, 400, "App name must be 30 characters or less"},
		{"POST", "/v1/apps", `{"app":{}}`, 400, "Missing app name"},
		{"POST", "/v1/apps", `{}`, 400, "Missing new application"},
		{"POST", "/v1/apps", `{`, 400, "Invalid JSON"},
		{"GET", "/v1/apps/nope", ``, 404, "App not found"},
		{"PATCH", "/v1/apps/hello-app", `{"app":{"name":"other"}}`, 409, "Could not update - name is immutable"},
		{"GET", "/v1/nothing", ``, 404, "Path not found: /v1/nothing"},
	}
	for _, c := range cases {
		code, body := call(t, c.method, base+c.path, c.body)
		if code != c.code || errMessage(body) != c.msg {
			t.Errorf("%s %s %s: got %d %v, want %d %q", c.method, c.path, c.body, code, body, c.code, c.msg)
		}
	}

	code, body = call(t, "PATCH", base+"/v1/apps/hello-app", `{"app":{"config":{"K":"","N":"1"}}}`)
	cfg := body["app"].(map[string]any)["config"].(map[string]any)
	if code != 200 || cfg["N"] != "1" || cfg["K"] != nil {
		t.Fatalf("patch merges config (empty value deletes): %d %v", code, body)
	}
	if code, body = call(t, "DELETE", base+"/v1/apps/hello-app", ``); code != 200 || body["message"] != "App deleted" {
		t.Fatalf("delete: %d %v", code, body)
	}
	if code, _ = call(t, "GET", base+"/v1/apps/hello-app", ``); code != 404 {
		t.Fatalf("deleted app still there: %d", code)
	}
}

func TestAppsPagination(t *testing.T) {
	base := newServer(t, nil)
	for i := 0; i < 5; i++ {
		call(t, "POST", base+"/v1/apps", fmt.Sprintf(`{"app":{"name":"app%d"}}`, i))
	}
	var names []string
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		_, body := call(t, "GET", base+"/v1/apps?per_page=2&cursor="+url.QueryEscape(cursor), ``)
		for _, a := range body["apps"].([]any) {
			names = append(names, a.(map[string]any)["name"].(string))
		}
		cursor = body["next_cursor"].(string)
		if cursor == "" {
			break
		}
	}
	if strings.Join(names, ",") != "app0,app1,app2,app3,app4" {
		t.Fatalf("paged names: %v", names)
	}
	_, body := call(t, "GET", base+"/v1/apps", ``)
	if body["next_cursor"] != "" || len(body["apps"].([]any)) != 5 {
		t.Fatalf("default page: %v", body)
	}
}

func TestRoutes(t *testing.T) {
	base := newServer(t, nil)

	// POST creates the app too, and fills the 2018 defaults.
	code, body := call(t, "POST", base+"/v1/apps/hello-app/routes", `{"route":{"path":"/v1","image":"fnmesh/hello:v1"}}`)
	r, _ := body["route"].(map[string]any)
	if code != 200 || body["message"] != "Route successfully created" || r["path"] != "/v1" ||
		r["memory"] != 128.0 || r["type"] != "sync" || r["format"] != "default" || r["timeout"] != 30.0 || r["idle_timeout"] != 30.0 {
		t.Fatalf("create route: %d %v", code, body)
	}
	_, appBody := call(t, "GET", base+"/v1/apps/hello-app", ``)
	if r["app_id"] != appBody["app"].(map[string]any)["id"] {
		t.Fatalf("route app_id %v does not match app %v", r["app_id"], appBody)
	}

	cases := []struct {
		method, path, body string
		code               int
		msg                string
	}{
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"path":"/v1","image":"x"}}`, 409, "Route already exists"},
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"image":"x"}}`, 400, "Missing route Path"},
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"path":"/x"}}`, 400, "Missing route Image"},
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"path":"x","image":"x"}}`, 400, "Invalid route path format"},
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"path":"/:id","image":"x"}}`, 400, "Dynamic URL is not allowed"},
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"path":"/x","image":"x","type":"bad"}}`, 400, "Invalid route Type"},
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"path":"/x","image":"x","format":"bad"}}`, 400, "Invalid route Format"},
		{"POST", "/v1/apps/hello-app/routes", `{"route":{"path":"/x","image":"x","timeout":121}}`, 400, errRoutesTimeout.msg},
		{"POST", "/v1/apps/hello-app/routes", `{}`, 400, "Missing new route"},
		{"PATCH", "/v1/apps/hello-app/routes/v1", `{"route":{"path":"/other"}}`, 409, "Could not update - path is immutable"},
		{"PATCH", "/v1/apps/hello-app/routes/none", `{"route":{"image":"x"}}`, 404, "Route not found"},
		{"PATCH", "/v1/apps/none/routes/v1", `{"route":{"image":"x"}}`, 404, "App not found"},
		{"GET", "/v1/apps/hello-app/routes/none", ``, 404, "Route not found"},
		{"GET", "/v1/apps/none/routes", ``, 404, "App not found"},
	}
	for _, c := range cases {
		code, body := call(t, c.method, base+c.path, c.body)
		if code != c.code || errMessage(body) != c.msg {
			t.Errorf("%s %s %s: got %d %v, want %d %q", c.method, c.path, c.body, code, body, c.code, c.msg)
		}
	}

	// PATCH updates in place; PUT creates (nested paths work too).
	code, body = call(t, "PATCH", base+"/v1/apps/hello-app/routes/v1", `{"route":{"image":"fnmesh/hello:v1.1","memory":256}}`)
	r = body["route"].(map[string]any)
	if code != 200 || body["message"] != "Route successfully updated" || r["image"] != "fnmesh/hello:v1.1" || r["memory"] != 256.0 {
		t.Fatalf("patch: %d %v", code, body)
	}
	code, body = call(t, "PUT", base+"/v1/apps/hello-app/routes/v2/deep", `{"route":{"image":"fnmesh/hello:v2"}}`)
	if code != 200 || body["message"] != "Route successfully created" || body["route"].(map[string]any)["path"] != "/v2/deep" {
		t.Fatalf("put: %d %v", code, body)
	}

	_, body = call(t, "GET", base+"/v1/apps/hello-app/routes", ``)
	if n := len(body["routes"].([]any)); n != 2 {
		t.Fatalf("list: %d routes: %v", n, body)
	}
	_, body = call(t, "GET", base+"/v1/apps/hello-app/routes?image=fnmesh/hello:v2", ``)
	if rs := body["routes"].([]any); len(rs) != 1 || rs[0].(map[string]any)["path"] != "/v2/deep" {
		t.Fatalf("image filter: %v", body)
	}
	if code, body = call(t, "DELETE", base+"/v1/apps/hello-app/routes/v2/deep", ``); code != 200 || body["message"] != "Route deleted" {
		t.Fatalf("delete: %d %v", code, body)
	}
}

func TestInvokeForwardsToRunner(t *testing.T) {
	runner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"path":%q,"body":%q}`, r.URL.Path, b)
	}))
	defer runner.Close()
	runnerURL, _ := url.Parse(runner.URL)
	base := newServer(t, runnerURL)
	call(t, "POST", base+"/v1/apps/hello-app/routes", `{"route":{"path":"/v1","image":"fnmesh/hello:v1"}}`)
	call(t, "POST", base+"/v1/apps/hello-app/routes", `{"route":{"path":"/later","image":"fnmesh/hello:v1","type":"async"}}`)

	code, body := call(t, "POST", base+"/r/hello-app/v1", `ping`)
	if code != 200 || body["path"] != "/r/hello-app/v1" || body["body"] != "ping" {
		t.Fatalf("sync invoke: %d %v", code, body)
	}
	code, body = call(t, "POST", base+"/r/hello-app/later", `ping`)
	if code != 202 || len(fmt.Sprint(body["call_id"])) != 26 {
		t.Fatalf("async invoke: %d %v", code, body)
	}
	if code, body = call(t, "GET", base+"/r/hello-app/none", ``); code != 404 || errMessage(body) != "Route not found" {
		t.Fatalf("unknown route: %d %v", code, body)
	}
}

func TestInvokeWithoutRunner(t *testing.T) {
	base := newServer(t, nil)
	call(t, "POST", base+"/v1/apps/hello-app/routes", `{"route":{"path":"/v1","image":"fnmesh/hello:v1"}}`)
	if code, body := call(t, "GET", base+"/r/hello-app/v1", ``); code != 503 || !strings.Contains(errMessage(body), "no runner") {
		t.Fatalf("got %d %v", code, body)
	}
}

func TestIDsAreUniqueAndWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := newID()
		if len(id) != 26 || seen[id] || strings.Trim(id, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != "" {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}
