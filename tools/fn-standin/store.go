package main

// In-memory datastore of the v1 stand-in. State lives as long as the process:
// the playground scripts seed it after every start.

import (
	"encoding/base64"
	"sort"
	"sync"
	"time"
)

type appEntry struct {
	app    App
	routes map[string]*Route // by path
}

type store struct {
	mu   sync.Mutex
	apps map[string]*appEntry // by name
	now  func() time.Time
}

func newStore() *store {
	return &store{apps: map[string]*appEntry{}, now: time.Now}
}

// page is one page of a list: items sorted by key, starting after the
// cursor. Like the 2018 server, next_cursor is set whenever the page is
// full, so the page after the last full one may be empty.
type page struct {
	cursor  string // opaque: base64url of the last key of the previous page
	perPage int
}

func (p page) after() string {
	b, _ := base64.RawURLEncoding.DecodeString(p.cursor)
	return string(b)
}

func nextCursor(keys []string, perPage int) string {
	if len(keys) == 0 || len(keys) < perPage {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(keys[len(keys)-1]))
}

// pageKeys returns at most perPage sorted keys greater than the cursor.
func pageKeys(all []string, p page) []string {
	sort.Strings(all)
	after := p.after()
	out := []string{}
	for _, k := range all {
		if k > after && len(out) < p.perPage {
			out = append(out, k)
		}
	}
	return out
}

func (s *store) listApps(p page) ([]App, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.apps))
	for n := range s.apps {
		names = append(names, n)
	}
	keys := pageKeys(names, p)
	apps := make([]App, 0, len(keys))
	for _, k := range keys {
		apps = append(apps, s.apps[k].app)
	}
	return apps, nextCursor(keys, p.perPage)
}

func (s *store) getApp(name string) (App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.apps[name]
	if !ok {
		return App{}, errAppsNotFound
	}
	return e.app, nil
}

func (s *store) createApp(a App) (App, error) {
	if err := validateAppName(a.Name); err != nil {
		return App{}, err
	}
	if err := validateAnnotations(a.Annotations); err != nil {
		return App{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.apps[a.Name]; ok {
		return App{}, errAppsAlreadyExists
	}
	return s.insertAppLocked(a), nil
}

func (s *store) insertAppLocked(a App) App {
	now := Time(s.now())
	a.ID, a.CreatedAt, a.UpdatedAt = newID(), now, now
	s.apps[a.Name] = &appEntry{app: a, routes: map[string]*Route{}}
	return a
}

func (s *store) updateApp(name string, u App) (App, error) {
	if err := validateAnnotations(u.Annotations); err != nil {
		return App{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.apps[name]
	if !ok {
		return App{}, errAppsNotFound
	}
	e.app.Config = mergeConfig(e.app.Config, u.Config)
	e.app.Annotations = mergeAnnotations(e.app.Annotations, u.Annotations)
	e.app.UpdatedAt = Time(s.now())
	return e.app, nil
}

// deleteApp removes the app and, as the 2018 datastore did, all its routes.
func (s *store) deleteApp(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.apps[name]; !ok {
		return errAppsNotFound
	}
	delete(s.apps, name)
	return nil
}

func (s *store) listRoutes(app string, image string, p page) ([]Route, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.apps[app]
	if !ok {
		return nil, "", errAppsNotFound
	}
	paths := []string{}
	for path, r := range e.routes {
		if image == "" || r.Image == image {
			paths = append(paths, path)
		}
	}
	keys := pageKeys(paths, p)
	routes := make([]Route, 0, len(keys))
	for _, k := range keys {
		routes = append(routes, *e.routes[k])
	}
	return routes, nextCursor(keys, p.perPage), nil
}

func (s *store) getRoute(app, path string) (Route, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.apps[app]
	if !ok {
		return Route{}, errAppsNotFound
	}
	r, ok := e.routes[path]
	if !ok {
		return Route{}, errRoutesNotFound
	}
	return *r, nil
}

// routeWrite says how a route body is applied.
type routeWrite int

const (
	createOnly     routeWrite = iota // POST: 409 if the route exists; creates the app
	createOrUpdate                   // PUT: update if it exists, else create; creates the app
	updateOnly                       // PATCH: 404 if the app or the route is missing
)

// putRoute applies a route body and reports whether it created the route.
func (s *store) putRoute(app string, r Route, mode routeWrite) (Route, bool, error) {
	if mode != updateOnly {
		if err := validateAppName(app); err != nil {
			return Route{}, false, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.apps[app]
	if !ok && mode == updateOnly {
		return Route{}, false, errAppsNotFound
	}
	var existing *Route
	if ok {
		existing = e.routes[r.Path]
	}
	now := Time(s.now())
	switch {
	case existing != nil && mode == createOnly:
		return Route{}, false, errRoutesExists
	case existing == nil && mode == updateOnly:
		return Route{}, false, errRoutesNotFound
	case existing != nil:
		updated := *existing
		updated.merge(&r)
		if err := updated.validate(); err != nil {
			return Route{}, false, err
		}
		updated.UpdatedAt = now
		*existing = updated
		return updated, false, nil
	}
	r.setDefaults()
	if err := r.validate(); err != nil {
		return Route{}, false, err
	}
	if !ok {
		s.insertAppLocked(App{Name: app})
		e = s.apps[app]
	}
	r.AppID, r.CreatedAt, r.UpdatedAt = e.app.ID, now, now
	e.routes[r.Path] = &r
	return r, true, nil
}

func (s *store) deleteRoute(app, path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.apps[app]
	if !ok {
		return errAppsNotFound
	}
	if _, ok := e.routes[path]; !ok {
		return errRoutesNotFound
	}
	delete(e.routes, path)
	return nil
}
