'use strict'
// Fn's http-stream contract between the runner and a function, from the
// runner's side: the call goes to POST /call on the function's unix socket.
//
// Two ways in, as in Fn:
// - "gateway" (HTTP triggers and 2018 routes): the caller's request is wrapped.
//   Its headers travel as Fn-Http-H-<Name> (Content-Type as is), with
//   Fn-Http-Method, Fn-Http-Request-Url and Fn-Intent: httprequest. On the way
//   back only Fn-Http-H-* (unwrapped), Content-Type and Fn-Call-Id are kept,
//   and Fn-Http-Status sets the status unless the function itself failed.
// - "invoke" (/invoke/<fnID>): headers pass through unchanged both ways.

const http = require('node:http')

// Hop-by-hop headers never cross a proxy (RFC 9110, 7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization',
  'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length'])

/** "x-foo-bar" -> "X-Foo-Bar", the form Go's net/http (and so Fn) uses. */
function canonical (name) {
  return name.toLowerCase().split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('-')
}

/**
 * Headers for the function's request.
 * @param {http.IncomingMessage} req @param {'gateway'|'invoke'} mode
 * @param {{callId: string, deadline: Date, requestUrl: string}} call
 */
function callHeaders (req, mode, call) {
  const out = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (HOP_BY_HOP.has(name) || value === undefined) continue
    const key = canonical(name)
    out[mode === 'gateway' && key !== 'Content-Type' ? `Fn-Http-H-${key}` : key] = value
  }
  if (mode === 'gateway') {
    out['Fn-Http-Method'] = req.method
    out['Fn-Http-Request-Url'] = call.requestUrl
    out['Fn-Intent'] = 'httprequest'
  }
  out['Fn-Call-Id'] = call.callId
  out['Fn-Deadline'] = call.deadline.toISOString()
  return out
}

/**
 * Status and headers for the caller, from the function's response.
 * @param {http.IncomingMessage} res @param {'gateway'|'invoke'} mode @param {string} callId
 */
function responseHead (res, mode, callId) {
  const headers = {}
  let userStatus = 0
  for (const [name, value] of Object.entries(res.headers)) {
    if (HOP_BY_HOP.has(name) || value === undefined) continue
    const key = canonical(name)
    if (mode === 'invoke') {
      headers[key] = value
    } else if (key.startsWith('Fn-Http-H-') && key.length > 'Fn-Http-H-'.length) {
      headers[key.slice('Fn-Http-H-'.length)] = value
    } else if (key === 'Fn-Http-Status') {
      userStatus = parseInt(String(value), 10) || 0
    } else if (key === 'Content-Type') {
      headers[key] = value
    }
  }
  headers['Fn-Call-Id'] = callId
  const serviceStatus = res.statusCode || 502
  let status = serviceStatus
  if (mode === 'gateway') status = serviceStatus >= 400 ? serviceStatus : (userStatus || 200)
  return { status, headers }
}

/**
 * Sends one call to the function listening on socketPath and streams the
 * answer to resp. Resolves when the response is complete.
 * @returns {Promise<'ok'|'timeout'>}
 */
function forwardCall ({ socketPath, body, headers, timeoutMs, mode, callId, resp }) {
  return new Promise((resolve, reject) => {
    // The whole call shares one deadline, like Fn's per-function timeout.
    const timer = setTimeout(() => { fnReq.destroy(); resolve('timeout') }, timeoutMs)
    const fail = (err) => { clearTimeout(timer); reject(err) }
    const fnReq = http.request({
      socketPath,
      method: 'POST',
      path: '/call',
      headers: { ...headers, 'Content-Length': body.length },
      agent: false // one connection per call: the FDK closes idle ones anyway
    }, (fnRes) => {
      const { status, headers: outHeaders } = responseHead(fnRes, mode, callId)
      resp.writeHead(status, outHeaders)
      fnRes.pipe(resp)
      fnRes.on('end', () => { clearTimeout(timer); resolve('ok') })
      fnRes.on('error', fail)
    })
    fnReq.on('error', fail)
    fnReq.end(body)
  })
}

module.exports = { callHeaders, responseHead, forwardCall, canonical }
