'use strict'
// Looks up what to run for a request, asking the Fn API server the same
// questions Fn's real lb node asks its API node (no caching, so changes made
// through the API are seen by the very next call).
//
// Every lookup resolves to a plain "target":
//   { key, appId, appName, fnId, fnName, image, memory, timeout, idleTimeout, config }

class LookupError extends Error {
  /** @param {number} status HTTP status to answer with @param {string} message */
  constructor (status, message) {
    super(message)
    this.status = status
  }
}

const LOOKUP_TIMEOUT_MS = 5000

/** GET base+path as JSON; non-2xx becomes a LookupError with Fn's own message. */
async function getJSON (base, path) {
  let res
  try {
    res = await fetch(base + path, { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) })
  } catch (err) {
    throw new LookupError(502, `Fn API server at ${base} is not reachable: ${err.message}`)
  }
  const body = await res.json().catch(() => ({}))
  if (!res.ok) {
    // v2 errors are {"message"}, v1 errors {"error":{"message"}}.
    const message = body.message || (body.error && body.error.message) || `Fn API answered ${res.status}`
    throw new LookupError(res.status, message)
  }
  return body
}

const seg = (s) => encodeURIComponent(s)

/** Target behind an HTTP trigger: /t/<app><source>, source starting with "/". */
async function triggerTarget (v2Base, appName, source) {
  const apps = await getJSON(v2Base, `/v2/apps?name=${seg(appName)}`)
  const app = (apps.items || []).find((a) => a.name === appName)
  if (!app) throw new LookupError(404, 'App not found')
  // The wildcard of this runner endpoint keeps the source's leading slash.
  const trigger = await getJSON(v2Base,
    `/v2/runner/apps/${seg(app.id)}/triggerBySource/http/${encodeURI(source)}`)
  const fn = await getJSON(v2Base, `/v2/fns/${seg(trigger.fn_id)}`)
  return fromV2(app, fn)
}

/** Target of /invoke/<fnID>. */
async function fnTarget (v2Base, fnId) {
  const fn = await getJSON(v2Base, `/v2/fns/${seg(fnId)}`)
  const app = await getJSON(v2Base, `/v2/apps/${seg(fn.app_id)}`)
  return fromV2(app, fn)
}

function fromV2 (app, fn) {
  return {
    key: `fn:${fn.id}`,
    appId: app.id,
    appName: app.name,
    fnId: fn.id,
    fnName: fn.name,
    image: fn.image,
    memory: fn.memory || 128,
    timeout: fn.timeout || 30,
    idleTimeout: fn.idle_timeout || 30,
    config: { ...app.config, ...fn.config }
  }
}

/** Target of a 2018 route, /r/<app><path>, from the v1 API (stand-in). */
async function routeTarget (v1Base, appName, path) {
  const { app } = await getJSON(v1Base, `/v1/apps/${seg(appName)}`)
  const { route } = await getJSON(v1Base, `/v1/apps/${seg(appName)}/routes${encodeURI(path)}`)
  return {
    key: `route:${app.id}:${route.path}`,
    appId: app.id,
    appName: app.name,
    fnId: '',
    fnName: route.path,
    image: route.image,
    memory: route.memory || 128,
    timeout: route.timeout || 30,
    idleTimeout: route.idle_timeout || 30,
    config: { ...app.config, ...route.config }
  }
}

module.exports = { LookupError, triggerTarget, fnTarget, routeTarget }
