'use strict'
// fn-lb: STAND-IN for Fn's runner-lb, for Fn Mesh's tests and playground
// only (never shipped in the VSIX). Fn's real runners need Docker to run
// function images; here each image maps to a local folder whose func.js runs
// under the real Node FDK as a hot child process (lib/hotFunctions.js).
//
//   /t/<app>/<source>   HTTP triggers    (looked up in the v2 API)
//   /invoke/<fnID>      direct invoke    (v2 API, POST only as in Fn)
//   /r/<app>/<route>    2018 routes      (v1 API stand-in, if configured)
//
// Environment:
//   FN_MESH_LB_PORT        listen port on 127.0.0.1 (default 8090)
//   FN_MESH_FN_API_URL     Fn v2 API server (default http://127.0.0.1:8080)
//   FN_MESH_FN_V1_API_URL  Fn v1 API stand-in for /r/ (default: /r/ disabled)
//   FN_MESH_LB_FUNCTIONS   image -> folder map (default functions.json here)

const crypto = require('node:crypto')
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const { LookupError, triggerTarget, fnTarget, routeTarget } = require('./lib/fnApi')
const { HotFunctions } = require('./lib/hotFunctions')
const { callHeaders, forwardCall } = require('./lib/protocol')

const MAX_BODY_BYTES = 6 * 1024 * 1024 // Fn's default request size limit

/** Reads the image map; folders are relative to the map file. */
function loadImages (file) {
  const map = JSON.parse(fs.readFileSync(file, 'utf8'))
  const images = {}
  for (const [image, dir] of Object.entries(map)) {
    images[image] = path.resolve(path.dirname(file), dir)
    if (!fs.existsSync(path.join(images[image], 'func.js'))) {
      throw new Error(`${file}: no func.js in ${images[image]} (image ${image})`)
    }
  }
  return images
}

/**
 * @param {{v2Url: string, v1Url?: string, images: Record<string,string>, log?: (l: string) => void}} opts
 * @returns {{server: http.Server, close: () => Promise<void>}}
 */
function createLb ({ v2Url, v1Url, images, log = console.log }) {
  const hot = new HotFunctions(images, log)

  // Which target and protocol mode a request path asks for, or null.
  // Malformed escapes throw URIError, answered as 400 by handle().
  function route (req, url) {
    let m
    if ((m = /^\/t\/([^/]+)(\/.*)?$/.exec(url.pathname))) {
      const source = decodeURI(m[2] || '/')
      return { mode: 'gateway', lookup: () => triggerTarget(v2Url, decodeURIComponent(m[1]), source) }
    }
    if ((m = /^\/invoke\/([^/]+)$/.exec(url.pathname))) {
      if (req.method !== 'POST') return { error: new LookupError(405, `Method not allowed: ${req.method} ${url.pathname}`) }
      return { mode: 'invoke', lookup: () => fnTarget(v2Url, decodeURIComponent(m[1])) }
    }
    if ((m = /^\/r\/([^/]+)(\/.*)?$/.exec(url.pathname))) {
      if (!v1Url) return { error: new LookupError(404, '/r/ is not served: FN_MESH_FN_V1_API_URL is not set') }
      const routePath = decodeURI(m[2] || '/')
      return { mode: 'gateway', lookup: () => routeTarget(v1Url, decodeURIComponent(m[1]), routePath) }
    }
    return null
  }

  async function handle (req, resp) {
    const url = new URL(req.url, `http://${req.headers.host || '127.0.0.1'}`)
    if (url.pathname === '/' && req.method === 'GET') return sendJSON(resp, 200, { hello: 'world!' })
    const v1 = url.pathname.startsWith('/r/')
    try {
      const r = route(req, url)
      if (!r) throw new LookupError(404, `Path not found: ${req.method} ${url.pathname}`)
      if (r.error) throw r.error
      const body = await readBody(req)
      const target = await r.lookup()
      const callId = newCallId()
      const headers = callHeaders(req, r.mode, {
        callId, deadline: new Date(Date.now() + target.timeout * 1000), requestUrl: url.href
      })
      const outcome = await hot.withFunction(target, (socketPath, kill) =>
        forwardCall({ socketPath, body, headers, timeoutMs: target.timeout * 1000, mode: r.mode, callId, resp })
          .then((result) => { if (result === 'timeout') kill(); return result }))
      if (outcome === 'timeout') throw new LookupError(504, 'Timed out')
    } catch (err) {
      if (resp.headersSent) return resp.destroy()
      if (err instanceof URIError) err = new LookupError(400, `Malformed path: ${url.pathname}`)
      sendError(resp, v1, err instanceof LookupError ? err : new LookupError(502, `function call failed: ${err.message}`))
    }
  }

  const server = http.createServer((req, resp) => {
    const start = Date.now()
    resp.on('finish', () => log(`${req.method} ${req.url} -> ${resp.statusCode} (${Date.now() - start} ms)`))
    handle(req, resp).catch((err) => { log(`internal error: ${err.stack}`); resp.destroy() })
  })
  return {
    server,
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      await hot.close()
    }
  }
}

function readBody (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (c) => {
      size += c.length
      if (size > MAX_BODY_BYTES) reject(new LookupError(413, 'Request content too large'))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Fn-style call id: 26 characters of Crockford base32, time first. */
function newCallId () {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
  let n = (BigInt(Date.now()) << 80n) | BigInt('0x' + crypto.randomBytes(10).toString('hex'))
  let id = ''
  for (let i = 0; i < 26; i++, n >>= 5n) id = alphabet[Number(n & 31n)] + id
  return id
}

function sendJSON (resp, status, body) {
  resp.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  resp.end(JSON.stringify(body))
}

/** v2 errors are {"message"}; on /r/ (the 2018 API) {"error":{"message"}}. */
function sendError (resp, v1, err) {
  sendJSON(resp, err.status, v1 ? { error: { message: err.message } } : { message: err.message })
}

function main () {
  const port = Number(process.env.FN_MESH_LB_PORT || 8090)
  const v2Url = (process.env.FN_MESH_FN_API_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
  const v1Url = (process.env.FN_MESH_FN_V1_API_URL || '').replace(/\/+$/, '') || undefined
  const images = loadImages(process.env.FN_MESH_LB_FUNCTIONS || path.join(__dirname, 'functions.json'))
  const lb = createLb({ v2Url, v1Url, images })
  lb.server.listen(port, '127.0.0.1', () => {
    console.log(`fn-lb stand-in on http://127.0.0.1:${port} (v2 API ${v2Url}, v1 API ${v1Url || 'off'}, ` +
      `${Object.keys(images).length} images)`)
  })
  lb.server.on('error', (err) => { console.error(`fn-lb: ${err.message}`); process.exit(1) })
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => lb.close().then(() => process.exit(0)))
  }
}

if (require.main === module) main()

module.exports = { createLb, loadImages, newCallId }
