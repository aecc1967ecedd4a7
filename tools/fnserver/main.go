// Command fnserver runs Fn Project's real server (github.com/fnproject/fn,
// package api/server) for Fn Mesh's tests and playground.
//
// It is fn's own cmd/fnserver with one difference: fn always listens on
// ":$FN_PORT" (every interface) and offers no setting for the address, while
// our test infrastructure must listen on loopback only. So we hand fn the
// http.Server values it will use, let fn's NewFromEnv configure everything
// from the usual FN_* variables, then pin the address to FN_MESH_FN_HOST
// (default 127.0.0.1) before starting.
//
// Typical use (api node, no Docker needed):
//
//	FN_NODE_TYPE=api FN_DB_URL=sqlite3:///path/fn.db FN_PORT=8080 fnserver
package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/fnproject/fn/api/server"

	// Same side-effect imports as fn's cmd/fnserver: the sql datastores
	// (sqlite, mysql, postgres) and the docker driver register themselves here.
	_ "github.com/fnproject/fn/api/server/defaultexts"
	// Imported explicitly so that its /debug/requests handler is registered once.
	_ "golang.org/x/net/trace"
)

func main() {
	ctx := context.Background()
	server.RegisterAPIViews(nil, []float64{1, 10, 50, 100, 250, 500, 1000, 10000, 60000, 120000})

	web := &http.Server{}
	admin := &http.Server{}
	fn := server.NewFromEnv(ctx,
		server.WithHTTPConfig(server.WebServer, web),
		server.WithHTTPConfig(server.AdminServer, admin),
	)

	// NewFromEnv has set web.Addr to ":<FN_PORT>". Keep its port, change the
	// host. An admin address equal to the web one means "no separate admin
	// listener" to fn, exactly as in the stock binary.
	_, port, err := net.SplitHostPort(web.Addr)
	if err != nil {
		port = strconv.Itoa(server.DefaultPort)
	}
	host := os.Getenv("FN_MESH_FN_HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	web.Addr = net.JoinHostPort(host, port)
	admin.Addr = web.Addr

	fn.Start(ctx)
}
