// Starts dynalite (in memory) on a free loopback port for the tests, and prints "listening <port>".
// The Java tests start this script and stop it by ending the process; it also ends when its stdin closes,
// so a test JVM that dies does not leave it behind.
'use strict'
const dynalite = require('dynalite')

// dynalite rethrows the "aborted" error of a request whose client went away mid-body
// (`req.on('error', function (err) { throw err })`), which ends the whole process. Tests kill hosts with
// SIGKILL while they talk to the store, so a dropped client must cost that request only, as it would
// with DynamoDB. Anything else is still fatal.
process.on('uncaughtException', (err) => {
  if (err && err.code === 'ECONNRESET') {
    console.error('dynalite: a client went away mid-request (' + err.message + '); still serving')
    return
  }
  console.error(err)
  process.exit(1)
})

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  console.log('listening ' + server.address().port)
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
