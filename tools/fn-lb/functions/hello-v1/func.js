// Playground function "hello", version 1. Runs under the real Node FDK, which
// the fn-lb stand-in starts like an Fn hot container (see ../../server.js).
const fdk = require('@fnproject/fdk')

fdk.handle(() => ({ message: 'Hello V1' }))
