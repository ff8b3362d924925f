// Replays scenarios on a real @logux/core 0.12 MemoryStore: entries added in
// order, then addReason and removeReason with criteria. Reads the scenarios
// as one JSON array on stdin; prints, for each, the IDs each operation
// cleaned and every entry's reasons after, in added order.
import { MemoryStore } from 'logux-core-0-12'

let input = ''
for await (let chunk of process.stdin) input += chunk

let results = []
for (let scenario of JSON.parse(input)) {
  let store = new MemoryStore()
  for (let [action, meta] of scenario.entries) {
    await store.add([[action, { ...meta, reasons: [...meta.reasons] }]])
  }
  let cleaned = []
  for (let op of scenario.ops) {
    let criteria = { ...op.criteria }
    if (op.op === 'addReason') {
      await store.addReason(op.reasons, criteria)
      cleaned.push([])
    } else {
      let ids = []
      await store.removeReason(op.reasons, criteria, (action, meta) => {
        ids.push(meta.id)
      })
      cleaned.push(ids)
    }
  }
  let page = await store.get({ order: 'added' })
  let entries = page.entries.map(([, meta]) => [meta.id, meta.reasons])
  results.push({ cleaned, entries })
}
process.stdout.write(JSON.stringify(results))
