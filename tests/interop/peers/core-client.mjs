// A real @logux/core 0.10 ClientNode for actionlog's interop tests:
// connects to URL as NODE (token TOKEN, subprotocol 2), adds each ACTION
// (JSON) to its log, which the node sends, and prints every action its log
// gets as a JSON line [action, meta]. Leaves after WAIT ms.
// node core-client.mjs URL NODE TOKEN WAIT ACTION...
import { ClientNode, Log, MemoryStore, WsConnection } from '@logux/core'
import WebSocket from 'ws'

const [url, nodeId, token, wait, ...actions] = process.argv.slice(2)
const log = new Log({ nodeId, store: new MemoryStore() })
const node = new ClientNode(nodeId, log, new WsConnection(url, WebSocket), {
  token,
  subprotocol: 2,
  // Only our own actions go out, with the meta that travels.
  onSend: async (action, meta) =>
    meta.id.includes(` ${nodeId} `) ? [action, { id: meta.id, time: meta.time }] : false
})
node.catch(error => console.log(JSON.stringify(['error', error.type, error.options])))
log.on('add', (action, meta) => console.log(JSON.stringify([action, meta])))
node.connection.connect()
await node.waitFor('synchronized')
for (const action of actions) {
  await log.add(JSON.parse(action), { reasons: ['mine'] })
}
await new Promise(resolve => setTimeout(resolve, parseInt(wait, 10)))
node.destroy()
process.exit(0)
