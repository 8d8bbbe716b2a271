// Starts dynalite (in memory) on a free loopback port for the tests, and prints "listening <port>".
// The Java tests start this script and stop it by ending the process; it also ends when its stdin closes,
// so a test JVM that dies does not leave it behind.
'use strict'
const dynalite = require('dynalite')

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  console.log('listening ' + server.address().port)
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
