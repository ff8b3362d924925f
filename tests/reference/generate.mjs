// Runs random and hand-written scenarios through @logux/core 0.10 and writes
// what it did to expected.json, which tests/reference.rs replays against the
// Rust library. Regenerate (needs Node and the package, outside the repo):
//
//   npm install --prefix /tmp/logux @logux/core@0.10
//   LOGUX_CORE=/tmp/logux/node_modules/@logux/core/index.js node tests/reference/generate.mjs
//
// Scenarios avoid the two MemoryStore slips SPEC.md names (an ID re-added
// with another time; per-index created lists) and what actionlog refuses on
// purpose (non-canonical IDs, remove-reason by ID with other criteria).
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const core = await import(process.env.LOGUX_CORE || '/work/ref/node_modules/@logux/core/index.js')
const { Log, MemoryStore } = core

let seed = 20261123
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1))
const pick = list => list[int(0, list.length - 1)]
const chance = p => random() < p

const NODES = ['a', 'b', 'a:b', '10:x:1', 'z']
const REASONS = ['r', 's', 'k1', 'k2']

async function run(ops) {
  let now = 100
  const realNow = Date.now
  Date.now = () => now
  const log = new Log({ nodeId: 'gen', store: new MemoryStore() })
  let events = []
  log.on('add', (a, m) => events.push(['add', JSON.stringify(a), JSON.stringify(m)]))
  log.on('clean', (a, m) => events.push(['clean', JSON.stringify(a), JSON.stringify(m)]))
  const steps = []
  for (const op of ops) {
    events = []
    let result = null
    if (op.op === 'add') {
      now = op.now
      result = (await log.add(JSON.parse(op.action), JSON.parse(op.meta))) !== false
    } else if (op.op === 'changeMeta') {
      result = await log.changeMeta(op.id, JSON.parse(op.diff))
    } else {
      const criteria = {}
      for (const key of ['minAdded', 'maxAdded', 'id']) {
        if (key in op) criteria[key] = op[key]
      }
      for (const key of ['olderThan', 'youngerThan']) {
        if (!(key in op)) continue
        const [entryAction, entryMeta] = await log.byId(op[key])
        criteria[key] = entryAction ? { ...entryMeta } : { id: op[key], time: parseInt(op[key]) }
      }
      await log.removeReason(op.reason, criteria)
    }
    steps.push({ ...op, events, result })
  }
  Date.now = realNow
  const created = (await log.store.get({ order: 'created' })).entries
  const added = (await log.store.get({ order: 'added' })).entries
  const line = ([a, m]) => JSON.stringify([a, m])
  const index = name => created.filter(([, m]) => (m.indexes || []).includes(name)).map(line)
  return {
    steps,
    created: created.map(line),
    added: added.map(line),
    indexI: index('i'),
    lastAdded: await log.store.getLastAdded()
  }
}

function randomOps() {
  const ops = []
  const times = new Map()
  let now = 100
  const known = () => [...times.keys()]
  for (let n = int(5, 30); n > 0; n--) {
    const kind = random()
    if (kind < 0.6) {
      const meta = {}
      if (chance(0.75)) {
        const id = `${int(1, 20)} ${pick(NODES)} ${int(0, 2)}`
        meta.id = id
        if (times.has(id)) meta.time = times.get(id)
        else if (chance(0.4)) meta.time = int(-3, 25)
      }
      if (chance(0.8)) meta.reasons = REASONS.filter(() => chance(0.35))
      if (chance(0.3)) meta.keepLast = pick(['k1', 'k2'])
      if (chance(0.3)) meta.indexes = chance(0.5) ? ['i'] : ['i', 'j']
      if (chance(0.2)) meta.extra = { n: int(0, 9) }
      now += int(0, 1)
      if (meta.id) times.set(meta.id, meta.time ?? parseInt(meta.id))
      ops.push({ op: 'add', action: JSON.stringify({ type: pick(['a', 'b', 'c']) }), meta: JSON.stringify(meta), now })
    } else if (kind < 0.75) {
      const id = known().length && chance(0.85) ? pick(known()) : '99 q 0'
      const diff = pick([{ status: int(0, 3) }, { reasons: [] }, { reasons: ['r'] }, { reasons: [], why: 'x' }, { a: 1, b: [1] }])
      ops.push({ op: 'changeMeta', id, diff: JSON.stringify(diff) })
    } else {
      const op = { op: 'removeReason', reason: pick(REASONS) }
      const bound = () => (known().length && chance(0.6) ? pick(known()) : `${int(1, 20)} ${pick(NODES)} ${int(0, 2)}`)
      if (chance(0.15)) {
        op.id = bound()
      } else {
        if (chance(0.4)) op.olderThan = bound()
        if (chance(0.4)) op.youngerThan = bound()
        if (chance(0.3)) op.minAdded = int(0, 8)
        if (chance(0.3)) op.maxAdded = int(0, 8)
      }
      ops.push(op)
    }
  }
  return ops
}

const add = (type, meta, now = 100) => ({ op: 'add', action: JSON.stringify({ type }), meta: JSON.stringify(meta), now })
const fixed = [
  // keepLast where the new action is older than the holder
  [add('new', { id: '2 n 0', reasons: ['k'] }), add('old', { id: '1 n 0', keepLast: 'k' }), add('newest', { id: '3 n 0', keepLast: 'k' })],
  // reasonless adds: generated, explicit and new, explicit and present
  [add('g', {}), add('g2', { reasons: [] }, 100), add('kept', { id: '1 n 0', reasons: ['r'] }), add('again', { id: '1 n 0' }), add('fresh', { id: '2 n 0' })],
  // duplicate IDs, any meta, change-meta, unknown IDs
  [add('a', { id: '1 a 1', time: 1, reasons: ['r'], x: { y: [1, 'z'] } }), add('b', { id: '1 a 1', time: 1, reasons: ['s'] }),
    { op: 'changeMeta', id: '1 a 1', diff: JSON.stringify({ x: 2, w: 3 }) }, { op: 'changeMeta', id: '9 q 0', diff: JSON.stringify({ x: 1 }) },
    { op: 'changeMeta', id: '1 a 1', diff: JSON.stringify({ reasons: [], note: 'bye' }) }],
  // every removeReason criterion, maxAdded 0, and by ID
  [add('1', { id: '1 n 0', reasons: ['a'], time: 1 }), add('2', { id: '2 n 0', reasons: ['a', 'b'], time: 2 }), add('3', { id: '3 n 0', reasons: ['a'], time: 3 }),
    { op: 'removeReason', reason: 'a', maxAdded: 0 }, { op: 'removeReason', reason: 'a', minAdded: 2, maxAdded: 2 },
    { op: 'removeReason', reason: 'a', olderThan: '3 n 0', youngerThan: '1 n 0' }, { op: 'removeReason', reason: 'a', id: '1 n 0' },
    { op: 'removeReason', reason: 'a' }],
  // same-time ties and indexes
  [add('B', { id: '2 a 0', time: 1, reasons: ['r'], indexes: ['i'] }), add('C', { id: '3 a 0', time: 1, reasons: ['r'], indexes: ['i'] }),
    add('A', { id: '1 a 0', time: 1, reasons: ['r'], indexes: ['i'] }), add('D', { id: '1 b 0', time: 1, reasons: ['r'] })]
]

const scenarios = []
for (const ops of fixed) scenarios.push(await run(ops))
for (let i = 0; i < 400; i++) scenarios.push(await run(randomOps()))
const out = join(dirname(fileURLToPath(import.meta.url)), 'expected.json')
writeFileSync(out, JSON.stringify(scenarios) + '\n')
console.log(`${scenarios.length} scenarios, ${scenarios.reduce((n, s) => n + s.steps.length, 0)} operations -> ${out}`)
