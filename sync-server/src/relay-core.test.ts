import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, RelayCore, type RelayLimits } from './relay-core.ts'
import { MemoryStore } from './store/memory-store.ts'
import type { ConnectionHandle } from './socket.ts'
import { CLOSE, MESSAGE } from '../../crdt/contracts/wire-protocol.ts'

/**
 * The core driven through plain socket objects: no ports, no ws. Each fake client is a
 * Y.Doc speaking the sync protocol, as y-websocket does.
 */
class FakeClient {
  readonly doc = new Y.Doc()
  closed: { code: number; reason: string } | null = null
  handle!: ConnectionHandle
  /** Whether the relay has stopped reading from this client (backpressure), and how often it did. */
  paused = false
  pauses = 0
  /** Updates the relay sent this client that hold only its own changes (echoes). */
  echoes = 0
  constructor(core: RelayCore, room: string, { pausable = true } = {}) {
    this.handle = core.connect({
      send: (data) => this.receive(data),
      close: (code, reason) => { this.closed = { code, reason } },
      ...(pausable ? { pause: () => { this.paused = true; this.pauses++ }, resume: () => { this.paused = false } } : {}),
    }, room)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return
      this.handle.message(message((e) => syncProtocol.writeUpdate(e, update)))
    })
    this.handle.message(message((e) => syncProtocol.writeSyncStep1(e, this.doc)))
  }
  private receive(data: Uint8Array) {
    const decoder = decoding.createDecoder(data)
    if (decoding.readVarUint(decoder) !== MESSAGE.sync) return
    const peek = decoding.clone(decoder)
    if (decoding.readVarUint(peek) === syncProtocol.messageYjsUpdate) {
      const { from } = Y.parseUpdateMeta(decoding.readVarUint8Array(peek))
      if ([...from.keys()].every((client) => client === this.doc.clientID)) this.echoes++
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE.sync)
    syncProtocol.readSyncMessage(decoder, encoder, this.doc, this)
    if (encoding.length(encoder) > 1) this.handle.message(encoding.toUint8Array(encoder))
  }
  get text() { return this.doc.getText('t').toString() }
  type(text: string) { this.doc.getText('t').insert(this.doc.getText('t').length, text) }
  leave() { this.handle.closed() }
}

const message = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE.sync)
  write(e)
  return encoding.toUint8Array(e)
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10))
const makeCore = (limits: Partial<RelayLimits> = {}, store = new MemoryStore()) => new RelayCore(store, { ...DEFAULT_LIMITS, ...limits })

describe('relay core', () => {
  it('syncs two clients in a room, and keeps rooms apart', async () => {
    const core = makeCore()
    const a = new FakeClient(core, 'housing')
    const b = new FakeClient(core, 'housing')
    const other = new FakeClient(core, 'transport')
    await settle()
    a.type('rent control ')
    b.type('now')
    await settle()
    expect(a.text).toBe(b.text)
    expect(a.text).toContain('rent control')
    expect(other.text).toBe('')
  })

  it('gives a latecomer everything, after the others left and the room was evicted', async () => {
    const store = new MemoryStore()
    const core = makeCore({ idleEvictMs: 5 }, store)
    const a = new FakeClient(core, 'room')
    await settle()
    a.type('written before you came')
    await settle()
    a.leave()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(core.roomCount).toBe(0)
    const late = new FakeClient(core, 'room')
    await settle()
    expect(late.text).toBe('written before you came')
  })

  it('closes a connection that sends garbage with 4400, and the room keeps serving', async () => {
    const core = makeCore()
    const good = new FakeClient(core, 'room')
    const bad = new FakeClient(core, 'room')
    const peer = new FakeClient(core, 'room')
    await settle()
    bad.handle.message(new Uint8Array([0, 2, 200, 1, 2, 3, 4, 5]))
    expect(bad.closed?.code).toBe(CLOSE.badMessage.code)
    good.type('still here')
    await settle()
    expect(peer.text).toBe('still here')
    expect(core.metrics.errors.protocol).toBe(1)
  })

  it('ignores message types it does not know (as the stock relay does), counting them, and keeps the connection', async () => {
    const core = makeCore()
    const c = new FakeClient(core, 'room')
    const peer = new FakeClient(core, 'room')
    await settle()
    c.handle.message(new Uint8Array([77, 1, 2]))
    c.handle.message(new Uint8Array([0, 9, 1, 2])) // a sync message of a kind y-protocols does not have
    c.type('after the unknown messages')
    await settle()
    expect(c.closed).toBeNull()
    expect(peer.text).toBe('after the unknown messages')
    expect(core.metrics.unknownMessages).toBe(2)
    expect(core.metrics.render({ rooms: 1 })).toContain('plank_unknown_messages_total 2')
  })

  it('echoes each accepted update to its sender too, so a stock client can confirm the relay holds it', async () => {
    const core = makeCore()
    const writer = new FakeClient(core, 'room')
    await settle()
    writer.type('a')
    writer.type('b')
    await settle()
    expect(writer.echoes).toBe(2)
    expect(writer.text).toBe('ab')
  })

  it('slows a flooding client down instead of closing it: every message arrives, in order', async () => {
    const core = makeCore({ messagesPerSecond: 1000, messageBurst: 20 })
    const flooder = new FakeClient(core, 'room')
    const reader = new FakeClient(core, 'room')
    await settle()
    for (let i = 0; i < 300; i++) flooder.type(String(i % 10))
    expect(flooder.paused).toBe(true)
    for (let waited = 0; reader.text.length < 300 && waited < 3000; waited += 10) await settle()
    expect(flooder.closed).toBeNull()
    expect(reader.text).toBe(flooder.text)
    expect(flooder.paused).toBe(false)
    expect(core.metrics.throttled).toBeGreaterThan(0)
  })

  it('applies what a slowed-down client sent even if it leaves before its turn', async () => {
    const core = makeCore({ messagesPerSecond: 10, messageBurst: 5 })
    const flooder = new FakeClient(core, 'room')
    const reader = new FakeClient(core, 'room')
    await settle()
    for (let i = 0; i < 100; i++) flooder.type(String(i % 10))
    expect(reader.text.length).toBeLessThan(100) // held back: 10 a second
    flooder.leave()
    await settle()
    expect(reader.text).toBe(flooder.text)
  })

  it('closes a flooding client whose transport cannot pause with 1013, which clients reconnect after', async () => {
    const core = makeCore({ messagesPerSecond: 10, messageBurst: 5, maxMessageBytes: 1000 })
    const c = new FakeClient(core, 'room', { pausable: false })
    await settle()
    for (let i = 0; i < 2000 && !c.closed; i++) c.type('x')
    expect(c.closed?.code).toBe(CLOSE.tryAgainLater.code)
  })

  it('refuses updates past the room quota with 4507 (a code clients retry after), keeping what it accepted', async () => {
    const core = makeCore({ roomQuotaBytes: 2000, roomFullCloseDelayMs: 30 })
    const writer = new FakeClient(core, 'room')
    const reader = new FakeClient(core, 'room')
    await settle()
    writer.type('accepted')
    await settle()
    writer.type('x'.repeat(5000))
    // Not read any more, and closed a little later, so a client that comes straight back retries slowly.
    expect(writer.paused).toBe(true)
    writer.type(' and more')
    expect(writer.closed).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(writer.closed?.code).toBe(CLOSE.roomFull.code)
    expect(reader.text).toBe('accepted')
  })

  it('applies what a client sent while the room was loading, even if it left before the load finished', async () => {
    class SlowStore extends MemoryStore {
      override async load(room: string) {
        await new Promise((resolve) => setTimeout(resolve, 30))
        return super.load(room)
      }
    }
    const store = new SlowStore()
    const core = makeCore({}, store)
    const hasty = new FakeClient(core, 'room')
    hasty.type('sent on a flaky train connection')
    hasty.leave()
    await new Promise((resolve) => setTimeout(resolve, 60))
    const later = new FakeClient(core, 'room')
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(later.text).toBe('sent on a flaky train connection')
  })

  it('flushes every accepted update to the store on shutdown', async () => {
    const store = new MemoryStore()
    const core = makeCore({}, store)
    const c = new FakeClient(core, 'room')
    await settle()
    for (let i = 0; i < 100; i++) c.type(String(i % 10))
    await core.close()
    expect(c.closed?.code).toBe(CLOSE.goingAway.code)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, (await store.load('room'))!)
    expect(doc.getText('t').toString()).toBe(c.text)
  })
})
