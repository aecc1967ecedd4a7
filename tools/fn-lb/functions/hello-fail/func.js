// Test function "hello", a broken version: every call fails (the FDK answers with an error), so
// a rollout's error-rate gate has something to catch. Mapped to the image fnmesh/hello:fail.
const fdk = require('@fnproject/fdk')

fdk.handle(() => {
  throw new Error('hello-fail: this version always fails')
})
