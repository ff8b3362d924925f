// A real @logux/client 0.23 for actionlog's interop tests: connects to URL
// as user USER (token "secret-USER"), sends each ACTION (JSON) with
// client.sync, which resolves once the server has processed it, prints
// "processed" per action, and leaves.
// node logux-client.mjs URL USER ACTION...
import WebSocket from 'ws'

// @logux/client builds its WebSocket from the global one, which Node 20
// lacks.
globalThis.WebSocket = WebSocket
const { Client } = await import('@logux/client')

const [url, userId, ...actions] = process.argv.slice(2)
const client = new Client({
  server: url,
  subprotocol: 2,
  userId,
  token: 'secret-' + userId,
  allowDangerousProtocol: true
})
client.start()
for (const action of actions) {
  await client.sync(JSON.parse(action))
  console.log('processed')
}
client.destroy()
process.exit(0)
