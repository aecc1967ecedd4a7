'use strict'
// fn-lb against the real Node FDK. The Fn API is a small in-test double of
// the few read endpoints the lb uses (the real server is exercised by the
// scripts; see tools/fnserver/NOTES.md). Needs @fnproject/fdk resolvable:
// run through `scripts/fn-lb.sh test` (or npm test after npm ci here).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const path = require('node:path')
const { createLb, loadImages, newCallId } = require('../server')

const app = { id: 'APP1', name: 'hello-app', config: { GREETING: 'hi' } }
const fns = {
  FN1: { id: 'FN1', app_id: 'APP1', name: 'v1', image: 'fnmesh/hello:v1', timeout: 30, idle_timeout: 30 },
  FN2: { id: 'FN2', app_id: 'APP1', name: 'v2', image: 'fnmesh/hello:v2', timeout: 30, idle_timeout: 30 },
  ECHO: { id: 'ECHO', app_id: 'APP1', name: 'echo', image: 'test/echo', timeout: 30, idle_timeout: 30 },
  SLOW: { id: 'SLOW', app_id: 'APP1', name: 'slow', image: 'test/slow', timeout: 1, idle_timeout: 30 },
  GONE: { id: 'GONE', app_id: 'APP1', name: 'gone', image: 'no/such:image', timeout: 30, idle_timeout: 30 }
}
const triggers = { '/v1': 'FN1', '/v2': 'FN2', '/echo': 'ECHO', '/slow': 'SLOW', '/gone': 'GONE' }
const routes = { '/v1': { path: '/v1', image: 'fnmesh/hello:v1', timeout: 30, idle_timeout: 30 } }

function fakeApi (req, res) {
  const url = new URL(req.url, 'http://x')
  const send = (status, body) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)) }
  const p = url.pathname
  let m
  if (p === '/v2/apps') return send(200, { items: url.searchParams.get('name') === app.name ? [app] : [] })
  if (p === '/v2/apps/APP1') return send(200, app)
  if ((m = /^\/v2\/runner\/apps\/APP1\/triggerBySource\/http\/(.*)$/.exec(p))) {
    const fnId = triggers[decodeURI(m[1])]
    return fnId ? send(200, { fn_id: fnId, app_id: 'APP1' }) : send(404, { message: 'Trigger not found' })
  }
  if ((m = /^\/v2\/fns\/(.+)$/.exec(p))) return fns[m[1]] ? send(200, fns[m[1]]) : send(404, { message: 'Fn not found' })
  if (p === '/v1/apps/hello-app') return send(200, { message: 'ok', app })
  if ((m = /^\/v1\/apps\/hello-app\/routes(\/.*)$/.exec(p))) {
    return routes[m[1]] ? send(200, { route: routes[m[1]] }) : send(404, { error: { message: 'Route not found' } })
  }
  send(404, { message: `no such path ${p}` })
}

let api, lb, base
const logs = []

before(async () => {
  api = http.createServer(fakeApi)
  await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve))
  const apiUrl = `http://127.0.0.1:${api.address().port}`
  const images = {
    ...loadImages(path.join(__dirname, '..', 'functions.json')),
    'test/echo': path.join(__dirname, 'fixtures', 'echo'),
    'test/slow': path.join(__dirname, 'fixtures', 'slow')
  }
  lb = createLb({ v2Url: apiUrl, v1Url: apiUrl, images, log: (l) => logs.push(l) })
  await new Promise((resolve) => lb.server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${lb.server.address().port}`
})

after(async () => {
  await lb.close()
  await new Promise((resolve) => api.close(resolve))
})

test('HTTP trigger runs the function with the real FDK', async () => {
  const res = await fetch(`${base}/t/hello-app/v1`)
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { message: 'Hello V1' })
  assert.match(res.headers.get('fn-call-id'), /^[0-9A-Z]{26}$/)
  assert.equal(res.headers.get('fn-fdk-version'), null, 'gateway responses drop the FDK headers')
})

test('a second call reuses the hot function process', async () => {
  await fetch(`${base}/t/hello-app/v2`).then((r) => r.json())
  const started = logs.filter((l) => l.includes('hello-app/v2') && l.includes('ready')).length
  assert.deepEqual(await fetch(`${base}/t/hello-app/v2`).then((r) => r.json()), { message: 'Hello V2' })
  assert.equal(logs.filter((l) => l.includes('hello-app/v2') && l.includes('ready')).length, started)
})

test('the gateway wraps request headers and unwraps status and headers', async () => {
  const res = await fetch(`${base}/t/hello-app/echo?q=1`, {
    method: 'PUT', headers: { 'X-Test': 'yes', 'Content-Type': 'application/json' }, body: '{"a":1}'
  })
  assert.equal(res.status, 201)
  assert.equal(res.headers.get('x-version'), 'echo')
  const body = await res.json()
  assert.deepEqual(body.input, { a: 1 })
  assert.equal(body.method, 'PUT')
  assert.equal(body.header, 'yes')
  assert.match(body.requestURL, /\/t\/hello-app\/echo\?q=1$/)
  assert.equal(body.fnName, 'echo')
  assert.equal(body.config, 'hi', 'app config reaches the function environment')
})

test('/invoke/<fnID> passes headers through and is POST only', async () => {
  const res = await fetch(`${base}/invoke/FN2`, { method: 'POST', body: '' })
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { message: 'Hello V2' })
  assert.match(res.headers.get('fn-fdk-version'), /^fdk-node\//)
  assert.equal((await fetch(`${base}/invoke/FN2`)).status, 405)
})

test('lookup failures answer with the Fn API message', async () => {
  for (const [url, status, message] of [
    ['/t/hello-app/nope', 404, 'Trigger not found'],
    ['/t/other-app/v1', 404, 'App not found'],
    ['/nowhere', 404, 'Path not found: GET /nowhere']
  ]) {
    const res = await fetch(base + url)
    assert.equal(res.status, status, url)
    assert.deepEqual(await res.json(), { message }, url)
  }
  const res = await fetch(`${base}/invoke/NOPE`, { method: 'POST' })
  assert.deepEqual([res.status, await res.json()], [404, { message: 'Fn not found' }])
})

test('an image without a local folder is a clear 502', async () => {
  const res = await fetch(`${base}/t/hello-app/gone`)
  assert.equal(res.status, 502)
  assert.match((await res.json()).message, /no\/such:image.*functions\.json/)
})

test('a function past its timeout answers 504 and is stopped', async () => {
  const res = await fetch(`${base}/t/hello-app/slow`)
  assert.equal(res.status, 504)
  assert.deepEqual(await res.json(), { message: 'Timed out' })
  assert.ok(logs.some((l) => l.includes('timed out')))
})

test('a changed image (fn deploy) replaces the running function', async () => {
  assert.deepEqual(await fetch(`${base}/t/hello-app/v1`).then((r) => r.json()), { message: 'Hello V1' })
  fns.FN1.image = 'fnmesh/hello:v2'
  try {
    assert.deepEqual(await fetch(`${base}/t/hello-app/v1`).then((r) => r.json()), { message: 'Hello V2' })
  } finally {
    fns.FN1.image = 'fnmesh/hello:v1'
  }
})

test('2018 routes run through /r/ with v1 error bodies', async () => {
  assert.deepEqual(await fetch(`${base}/r/hello-app/v1`).then((r) => r.json()), { message: 'Hello V1' })
  const res = await fetch(`${base}/r/hello-app/none`)
  assert.deepEqual([res.status, await res.json()], [404, { error: { message: 'Route not found' } }])
})

test('call ids are 26 Crockford base32 characters, time ordered', () => {
  const a = newCallId()
  assert.match(a, /^[0-9A-HJKMNP-TV-Z]{26}$/)
  assert.ok(newCallId().slice(0, 10) >= a.slice(0, 10))
})
