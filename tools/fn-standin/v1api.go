package main

// HTTP surface of the 2018 Fn v1 API. STAND-IN for tests and the playground.
//
//	GET/POST            /v1/apps                     {"message","next_cursor","apps":[...]}
//	GET/PATCH/DELETE    /v1/apps/<app>               {"message","app":{...}}
//	GET/POST            /v1/apps/<app>/routes        {"message","next_cursor","routes":[...]}
//	GET/PUT/PATCH/DELETE /v1/apps/<app>/routes/<path> {"message","route":{...}}
//	any                 /r/<app>/<path>              invokes the route (see invoke.go)
//
// Errors are wrapped as v1 did: {"error":{"message":"..."}}.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Version reported on /version: a 2018-era Fn version, marked as a stand-in.
const standinVersion = "0.3.500-fnmesh-standin"

type v1API struct {
	store  *store
	invoke http.Handler // serves /r/; see invoke.go
}

func (a *v1API) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"hello": "world!"})
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"version": standinVersion})
	})
	mux.HandleFunc("GET /v1/apps", a.listApps)
	mux.HandleFunc("POST /v1/apps", a.createApp)
	mux.HandleFunc("GET /v1/apps/{app}", a.getApp)
	mux.HandleFunc("PATCH /v1/apps/{app}", a.updateApp)
	mux.HandleFunc("DELETE /v1/apps/{app}", a.deleteApp)
	mux.HandleFunc("GET /v1/apps/{app}/routes", a.listRoutes)
	mux.HandleFunc("POST /v1/apps/{app}/routes", a.writeRoute(createOnly))
	mux.HandleFunc("GET /v1/apps/{app}/routes/{route...}", a.getRoute)
	mux.HandleFunc("PUT /v1/apps/{app}/routes/{route...}", a.writeRoute(createOrUpdate))
	mux.HandleFunc("PATCH /v1/apps/{app}/routes/{route...}", a.writeRoute(updateOnly))
	mux.HandleFunc("DELETE /v1/apps/{app}/routes/{route...}", a.deleteRoute)
	mux.Handle("/r/{app}", a.invoke)
	mux.Handle("/r/{app}/{route...}", a.invoke)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeV1Error(w, errorf(http.StatusNotFound, "Path not found: "+r.URL.Path))
	})
	return mux
}

// pageParams reads ?cursor and ?per_page (default 30, at most 100).
func pageParams(r *http.Request) page {
	perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if perPage <= 0 {
		perPage = 30
	} else if perPage > 100 {
		perPage = 100
	}
	return page{cursor: r.URL.Query().Get("cursor"), perPage: perPage}
}

// routePath turns the {route...} wildcard into a route path ("/hello").
func routePath(r *http.Request) string {
	return path.Clean("/" + r.PathValue("route"))
}

func (a *v1API) listApps(w http.ResponseWriter, r *http.Request) {
	apps, next := a.store.listApps(pageParams(r))
	writeJSON(w, http.StatusOK, map[string]any{
		"message": "Successfully listed applications", "next_cursor": next, "apps": apps,
	})
}

type appBody struct {
	App *App `json:"app"`
}

func (a *v1API) createApp(w http.ResponseWriter, r *http.Request) {
	var body appBody
	if err := decode(r, &body); err != nil {
		writeV1Error(w, err)
		return
	}
	if body.App == nil {
		writeV1Error(w, errAppsMissingNew)
		return
	}
	app, err := a.store.createApp(*body.App)
	if err != nil {
		writeV1Error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "App successfully created", "app": app})
}

func (a *v1API) getApp(w http.ResponseWriter, r *http.Request) {
	app, err := a.store.getApp(r.PathValue("app"))
	if err != nil {
		writeV1Error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "Successfully loaded app", "app": app})
}

func (a *v1API) updateApp(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("app")
	if _, err := a.store.getApp(name); err != nil {
		writeV1Error(w, err)
		return
	}
	var body appBody
	if err := decode(r, &body); err != nil {
		writeV1Error(w, err)
		return
	}
	switch {
	case body.App == nil:
		writeV1Error(w, errAppsMissingNew)
		return
	case body.App.Name != "" && body.App.Name != name:
		writeV1Error(w, errAppsNameImmutable)
		return
	}
	app, err := a.store.updateApp(name, *body.App)
	if err != nil {
		writeV1Error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "App successfully updated", "app": app})
}

func (a *v1API) deleteApp(w http.ResponseWriter, r *http.Request) {
	if err := a.store.deleteApp(r.PathValue("app")); err != nil {
		writeV1Error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "App deleted"})
}

func (a *v1API) listRoutes(w http.ResponseWriter, r *http.Request) {
	routes, next, err := a.store.listRoutes(r.PathValue("app"), r.URL.Query().Get("image"), pageParams(r))
	if err != nil {
		writeV1Error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"message": "Successfully listed routes", "next_cursor": next, "routes": routes,
	})
}

func (a *v1API) getRoute(w http.ResponseWriter, r *http.Request) {
	route, err := a.store.getRoute(r.PathValue("app"), routePath(r))
	if err != nil {
		writeV1Error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "Successfully loaded route", "route": route})
}

type routeBody struct {
	Route *Route `json:"route"`
}

// writeRoute serves POST (create), PUT (create or update) and PATCH (update).
func (a *v1API) writeRoute(mode routeWrite) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		app := r.PathValue("app")
		if mode == updateOnly {
			if _, err := a.store.getApp(app); err != nil {
				writeV1Error(w, err)
				return
			}
		}
		var body routeBody
		if err := decode(r, &body); err != nil {
			writeV1Error(w, err)
			return
		}
		if body.Route == nil {
			writeV1Error(w, errRoutesMissingNew)
			return
		}
		route := *body.Route
		if mode == createOnly {
			if route.Path == "" {
				writeV1Error(w, errRoutesMissingPath)
				return
			}
			if strings.HasPrefix(route.Path, "/") {
				route.Path = path.Clean(route.Path)
			}
		} else {
			// The path comes from the URL; a different one in the body is a rename.
			p := routePath(r)
			if route.Path != "" && path.Clean(route.Path) != p {
				writeV1Error(w, errRoutesImmutable)
				return
			}
			route.Path = p
		}
		saved, created, err := a.store.putRoute(app, route, mode)
		if err != nil {
			writeV1Error(w, err)
			return
		}
		msg := "Route successfully updated"
		if created {
			msg = "Route successfully created"
		}
		writeJSON(w, http.StatusOK, map[string]any{"message": msg, "route": saved})
	}
}

func (a *v1API) deleteRoute(w http.ResponseWriter, r *http.Request) {
	if err := a.store.deleteRoute(r.PathValue("app"), routePath(r)); err != nil {
		writeV1Error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Route deleted"})
}

// decode reads a JSON body; anything unreadable is "Invalid JSON" (400).
func decode(r *http.Request, v any) error {
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v); err != nil {
		return errInvalidJSON
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeV1Error(w http.ResponseWriter, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = errorf(http.StatusInternalServerError, fmt.Sprintf("internal server error: %v", err))
	}
	writeJSON(w, ae.code, map[string]any{"error": map[string]string{"message": ae.msg}})
}
