// A real @logux/server 0.14 for actionlog's interop tests.
// PORT=N node logux-server.mjs 2>server.log
// Prints "listening" on stdout when it accepts connections. Its JSON log
// (logger: 'json') goes to stderr: `actionlog import --from logux-server`
// reads it. Users: the token of user U is "secret-U". With KEY and CERT
// (PEM files) it serves wss://.
import { readFileSync } from 'node:fs'
import { Server } from '@logux/server'

const tls = process.env.KEY
  ? { key: readFileSync(process.env.KEY, 'utf8'), cert: readFileSync(process.env.CERT, 'utf8') }
  : {}

const server = new Server({
  subprotocol: 2,
  minSubprotocol: 2,
  port: parseInt(process.env.PORT, 10),
  host: '127.0.0.1',
  logger: 'json',
  fileUrl: import.meta.url,
  ...tls
})

server.auth(({ userId, token }) => token === 'secret-' + userId)

server.channel('users/:id', {
  access(ctx) {
    return ctx.userId === ctx.params.id
  },
  load(ctx) {
    return { type: 'users/loaded', id: ctx.params.id, name: 'Alice' }
  }
})

// Anyone may follow a chat and post to it; posts go to its subscribers.
server.channel('chat/:id', {
  access() {
    return true
  }
})
server.type('chat/post', {
  access() {
    return true
  },
  resend(ctx, action) {
    return `chat/${action.chat}`
  }
})

server.type('echo', {
  access() {
    return true
  },
  async process(ctx, action) {
    await ctx.sendBack({ type: 'echoed', payload: action.payload })
  }
})

server.type('deny-me', {
  access() {
    return false
  }
})

await server.listen()
console.log('listening')
