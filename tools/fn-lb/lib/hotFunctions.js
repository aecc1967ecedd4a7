'use strict'
// Hot functions: one long-lived child process per Fn function, in place of
// the hot container Fn's runner would start. The child is the function's own
// func.js under the real Node FDK, told (like in a container) to listen on
// a unix socket with FN_LISTENER=unix:<path> and FN_FORMAT=http-stream.
//
// A function's process is replaced when its image or config changes (what
// `fn deploy` does), and stopped after its idle_timeout without calls.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const { LookupError } = require('./fnApi')

const START_TIMEOUT_MS = 10000
const STOP_GRACE_MS = 2000

class HotFunctions {
  /**
   * @param {Record<string, string>} images image -> absolute function folder
   * @param {(line: string) => void} log
   */
  constructor (images, log) {
    this.images = images
    this.log = log
    // Short socket paths: a unix socket path must fit in about 100 bytes.
    this.socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fnlb-'))
    this.seq = 0
    /** @type {Map<string, Hot>} by target.key */
    this.running = new Map()
  }

  /**
   * Runs `use(socketPath)` against the target's hot process, starting it
   * if needed. Calls are counted so that idle stop never hits a busy process.
   */
  async withFunction (target, use) {
    const hot = this._hotFor(target)
    await hot.ready
    hot.busy++
    clearTimeout(hot.idleTimer)
    try {
      return await use(hot.socketPath, () => this._stop(hot, 'timed out'))
    } finally {
      hot.busy--
      if (hot.busy === 0 && this.running.get(target.key) === hot) {
        hot.idleTimer = setTimeout(() => this._stop(hot, 'idle'), target.idleTimeout * 1000)
        hot.idleTimer.unref()
      }
    }
  }

  _hotFor (target) {
    const env = this._env(target)
    const fingerprint = JSON.stringify([target.image, env])
    const current = this.running.get(target.key)
    if (current && current.fingerprint === fingerprint && !current.exited) return current
    if (current) this._stop(current, 'replaced')
    const hot = this._start(target, env, fingerprint)
    this.running.set(target.key, hot)
    return hot
  }

  _env (target) {
    return {
      ...target.config,
      FN_APP_ID: target.appId,
      FN_APP_NAME: target.appName,
      FN_FN_ID: target.fnId,
      FN_FN_NAME: target.fnName,
      FN_MEMORY: String(target.memory),
      FN_TYPE: 'sync',
      FN_FORMAT: 'http-stream'
    }
  }

  _start (target, env, fingerprint) {
    const dir = this.images[target.image]
    if (!dir) {
      throw new LookupError(502, `No local function for image "${target.image}": ` +
        'add it to the fn-lb image map (functions.json)')
    }
    const socketPath = path.join(this.socketDir, `${++this.seq}.sock`)
    const child = spawn(process.execPath, ['func.js'], {
      cwd: dir,
      // Like a container, the function sees its config, not the lb's environment;
      // NODE_PATH is passed on so the FDK can live outside the repository.
      env: { PATH: process.env.PATH, NODE_PATH: process.env.NODE_PATH || '', ...env, FN_LISTENER: `unix:${socketPath}` },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const name = `${target.appName}/${target.fnName} (${target.image}, pid ${child.pid})`
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (l) => l && this.log(`[${name}] ${l}`))
    }
    /** @type {Hot} */
    const hot = { child, socketPath, fingerprint, busy: 0, exited: false, idleTimer: undefined, ready: undefined }
    child.on('exit', (code, signal) => {
      hot.exited = true
      this.log(`function ${name} exited (${signal || code})`)
      if (this.running.get(target.key) === hot) this.running.delete(target.key)
      fs.rmSync(socketPath, { force: true })
      fs.rmSync(`${socketPath}.tmp`, { force: true })
    })
    hot.ready = waitForSocket(hot).then(
      () => this.log(`function ${name} ready on ${socketPath}`),
      (err) => { this._stop(hot, 'failed to start'); throw err })
    return hot
  }

  _stop (hot, why) {
    clearTimeout(hot.idleTimer)
    if (hot.exited) return
    this.log(`stopping pid ${hot.child.pid}: ${why}`)
    hot.child.kill('SIGTERM')
    setTimeout(() => hot.exited || hot.child.kill('SIGKILL'), STOP_GRACE_MS).unref()
  }

  /** Stops every function process and removes the socket folder. */
  async close () {
    const all = [...this.running.values()]
    this.running.clear()
    await Promise.all(all.map((hot) => new Promise((resolve) => {
      if (hot.exited) return resolve()
      hot.child.once('exit', resolve)
      this._stop(hot, 'lb shutting down')
    })))
    fs.rmSync(this.socketDir, { recursive: true, force: true })
  }
}

/** The FDK creates the socket, then symlinks FN_LISTENER to it: wait for that link. */
function waitForSocket (hot) {
  const deadline = Date.now() + START_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (fs.existsSync(hot.socketPath)) return resolve()
      if (hot.exited || Date.now() > deadline) {
        return reject(new LookupError(502, 'container failed to initialize, ' +
          'please ensure you are using the latest fdk / format and check the logs'))
      }
      setTimeout(poll, 20)
    }
    poll()
  })
}

/**
 * @typedef {object} Hot
 * @property {import('node:child_process').ChildProcess} child
 * @property {string} socketPath
 * @property {string} fingerprint
 * @property {number} busy
 * @property {boolean} exited
 * @property {NodeJS.Timeout | undefined} idleTimer
 * @property {Promise<void> | undefined} ready
 */

module.exports = { HotFunctions }
