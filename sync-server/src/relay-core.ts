import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import { CLOSE, MESSAGE, type CloseReason } from '../../crdt/contracts/wire-protocol.ts'
import type { ConnectionHandle, SocketLike } from './socket.ts'
import type { RelayStore } from './store/store.ts'
import { TokenBucket } from './rate-limit.ts'
import { PacedInbox } from './backpressure.ts'
import { Room } from './room.ts'
import { silentLogger, type Logger } from './log.ts'
import { RelayMetrics } from './metrics.ts'

const { sync: MESSAGE_SYNC, awareness: MESSAGE_AWARENESS, auth: MESSAGE_AUTH, queryAwareness: MESSAGE_QUERY_AWARENESS } = MESSAGE

export interface RelayLimits {
  /** Largest message accepted, in bytes (the ws edge enforces it with close 1009). */
  maxMessageBytes: number
  /** Per connection: sustained messages per second, and burst. Faster senders are slowed down (backpressure.ts), never closed. */
  messagesPerSecond: number
  messageBurst: number
  /** Largest a room may grow to, in bytes of accepted updates. */
  roomQuotaBytes: number
  /** How long an empty room stays in memory. */
  idleEvictMs: number
  /** Compact a room's store after this many appends. */
  compactEvery: number
  /** How long a connection that hit the room quota is held (not read) before it is closed. */
  roomFullCloseDelayMs: number
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxMessageBytes: 2 * 1024 * 1024,
  messagesPerSecond: 300,
  messageBurst: 1000,
  roomQuotaBytes: 64 * 1024 * 1024,
  idleEvictMs: 30_000,
  compactEvery: 500,
  // Under 4 s: Plank's app drops a line that answers nothing for 4 s (renderer/src/sync/round-trips.ts),
  // and it should hear why (4507) rather than redial blindly.
  roomFullCloseDelayMs: 2_500,
}

interface Connection {
  readonly id: number
  readonly socket: SocketLike
  readonly room: Room<Connection>
  readonly inbox: PacedInbox
  open: boolean
  /** Over the room quota: no longer read, closed shortly (see refuseFull). */
  refusing: boolean
}

/**
 * The relay: y-websocket's sync and awareness protocol over any socket-like object.
 * Every update is applied to the room's Y.Doc first (which validates it) and only then
 * broadcast and stored, so the store only ever holds bytes Yjs could read. Nothing
 * here knows about HTTP or ws; see ws-edge.ts.
 *
 * Compatible with stock y-websocket clients, as the stock relay is:
 * - Every accepted update goes to every connection in the room, its sender included.
 *   The echo is how a client learns the relay holds its change: y-websocket's sync
 *   status (3.1 release candidates, 4.x) turns green only when its own update comes
 *   back. It costs the sender one more copy of what it sent; applying it again is a
 *   no-op for Yjs.
 * - Message types it does not know are ignored (logged at debug, counted in
 *   /metrics), as by the stock relay, so a newer client is not cut off.
 * - A fast sender is slowed, never closed; closes a client must survive use codes it
 *   reconnects after (see crdt/contracts/wire-protocol.ts).
 */
export class RelayCore {
  readonly metrics = new RelayMetrics()
  private readonly rooms = new Map<string, Room<Connection>>()
  private readonly loading = new Map<string, Promise<Room<Connection>>>()
  private nextId = 1
  private closing = false

  constructor(
    private readonly store: RelayStore,
    readonly limits: RelayLimits = DEFAULT_LIMITS,
    private readonly log: Logger = silentLogger,
  ) {}

  get roomCount(): number { return this.rooms.size }
  get connectionCount(): number { return this.metrics.connections }

  /** Attach an accepted socket to a room. Access checks happen before this (at the edge). */
  connect(socket: SocketLike, roomName: string): ConnectionHandle {
    const id = this.nextId++
    let conn: Connection | null = null
    let early: Uint8Array[] | null = []
    let closedEarly = false
    this.metrics.connections++
    this.metrics.connectionsTotal++
    const bucket = new TokenBucket(this.limits.messagesPerSecond, this.limits.messageBurst)
    const inbox = new PacedInbox(bucket, socket, (data) => {
      if (conn) this.receive(conn, data)
      else early?.push(data)
    }, { maxQueuedBytes: 4 * this.limits.maxMessageBytes, onPause: () => { this.metrics.throttled++ } })
    this.room(roomName).then(
      (room) => {
        conn = { id, socket, room, inbox, open: true, refusing: false }
        room.connections.set(conn, new Set())
        if (room.evictionTimer) clearTimeout(room.evictionTimer)
        room.evictionTimer = null
        if (!closedEarly) this.greet(conn)
        const queued = early ?? []
        early = null
        // What a client sent before the room was loaded is applied even if it has left
        // since: a member on a flaky connection may send an edit and drop at once.
        for (const data of queued) this.receive(conn, data)
        if (closedEarly) this.disconnect(conn)
      },
      (err: unknown) => {
        this.log('error', 'room-load-failed', { room: roomName, error: String(err) })
        this.metrics.errors.storage++
        inbox.stop()
        this.closeSocket(socket, CLOSE.internal)
      },
    )
    return {
      message: (data) => {
        if (inbox.push(data)) return
        // Only a transport that cannot pause gets here; the client reconnects and resends.
        const backlog = inbox.backlog
        if (conn) this.drop(conn, CLOSE.tryAgainLater, { backlog })
        else {
          inbox.stop()
          this.reject(socket, roomName, id, CLOSE.tryAgainLater, { backlog })
        }
      },
      closed: () => {
        this.metrics.connections--
        // What the client sent before it left still counts, slowed down or not.
        inbox.flush()
        if (conn) this.disconnect(conn)
        else closedEarly = true
      },
    }
  }

  /** Load a room into memory once, however many connections ask at the same moment. */
  private room(name: string): Promise<Room<Connection>> {
    const inMemory = this.rooms.get(name)
    if (inMemory) return Promise.resolve(inMemory)
    let pending = this.loading.get(name)
    if (!pending) {
      pending = this.store.load(name).then((state) => {
        const room = new Room<Connection>(name)
        if (state) {
          Y.applyUpdate(room.doc, state, this)
          room.bytes = state.byteLength
        }
        this.listen(room)
        this.rooms.set(name, room)
        this.loading.delete(name)
        return room
      }, (err: unknown) => {
        this.loading.delete(name)
        throw err
      })
      this.loading.set(name, pending)
    }
    return pending
  }

  /** Broadcast and persist what a room accepts; forward awareness changes. */
  private listen(room: Room<Connection>): void {
    room.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return // loaded from the store
      const message = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update))
      // The sender too: the echo confirms to it that the relay holds the update (see the class comment).
      for (const conn of room.connections.keys()) this.send(conn, message)
      this.persist(room, update)
    })
    room.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed]
      const ids = origin instanceof Object ? room.connections.get(origin as Connection) : undefined
      if (ids) {
        for (const c of added) ids.add(c)
        for (const c of removed) ids.delete(c)
      }
      const message = encodeMessage(MESSAGE_AWARENESS, (e) =>
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed)))
      for (const conn of room.connections.keys()) this.send(conn, message)
    })
  }

  private persist(room: Room<Connection>, update: Uint8Array): void {
    room.writes = room.writes.then(async () => {
      try {
        await this.store.append(room.name, update)
        this.metrics.updatesStored++
        if (++room.appendsSinceCompaction >= this.limits.compactEvery) {
          room.appendsSinceCompaction = 0
          await this.store.compact(room.name)
          room.bytes = Y.encodeStateAsUpdate(room.doc).byteLength
          this.metrics.compactions++
        }
      } catch (err) {
        // Peers keep their own full copies, so the edit is not lost; the operator must know.
        this.metrics.errors.storage++
        this.log('error', 'store-write-failed', { room: room.name, bytes: update.byteLength, error: String(err) })
      }
    })
  }

  /** Sync step 1 and the current awareness, as y-websocket's server does on connect. */
  private greet(conn: Connection): void {
    this.send(conn, encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, conn.room.doc)))
    const states = conn.room.awareness.getStates()
    if (states.size > 0) {
      this.send(conn, encodeMessage(MESSAGE_AWARENESS, (e) =>
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(conn.room.awareness, [...states.keys()]))))
    }
  }

  private receive(conn: Connection, data: Uint8Array): void {
    if (!conn.open || conn.refusing) return
    if (!conn.room.connections.has(conn)) return
    this.metrics.messagesIn++
    this.metrics.bytesIn += data.byteLength
    if (data.byteLength > this.limits.maxMessageBytes) return this.drop(conn, CLOSE.tooBig, { bytes: data.byteLength })
    try {
      const decoder = decoding.createDecoder(data)
      const type = decoding.readVarUint(decoder)
      switch (type) {
        case MESSAGE_SYNC: {
          const room = conn.room
          // Updates (sync step 2 and update messages) count against the room's quota.
          const peek = decoding.createDecoder(data)
          decoding.readVarUint(peek)
          const syncType = decoding.readVarUint(peek)
          if (syncType > syncProtocol.messageYjsUpdate) return this.ignore(conn, { messageType: type, syncType })
          if (syncType !== syncProtocol.messageYjsSyncStep1) {
            const size = decoding.readVarUint8Array(peek).byteLength
            if (room.bytes + size > this.limits.roomQuotaBytes) return this.refuseFull(conn, { roomBytes: room.bytes, bytes: size })
            room.bytes += size
          }
          const encoder = encoding.createEncoder()
          encoding.writeVarUint(encoder, MESSAGE_SYNC)
          syncProtocol.readSyncMessage(decoder, encoder, room.doc, conn)
          if (room.doc.store.pendingStructs !== null && room.doc.store.pendingStructs.missing.size > 0) this.metrics.pendingRooms.add(room.name)
          if (encoding.length(encoder) > 1) this.send(conn, encoding.toUint8Array(encoder))
          return
        }
        case MESSAGE_AWARENESS:
          awarenessProtocol.applyAwarenessUpdate(conn.room.awareness, decoding.readVarUint8Array(decoder), conn)
          return
        case MESSAGE_QUERY_AWARENESS: {
          const awareness = conn.room.awareness
          this.send(conn, encodeMessage(MESSAGE_AWARENESS, (e) =>
            encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [...awareness.getStates().keys()]))))
          return
        }
        case MESSAGE_AUTH:
          return // permission messages are server-to-client only
        default:
          return this.ignore(conn, { messageType: type })
      }
    } catch (err) {
      this.drop(conn, CLOSE.badMessage, { error: String(err) })
    }
  }

  private send(conn: Connection, message: Uint8Array): void {
    if (!conn.open) return
    try {
      conn.socket.send(message)
      this.metrics.messagesOut++
      this.metrics.bytesOut += message.byteLength
    } catch (err) {
      this.log('warn', 'send-failed', { room: conn.room.name, conn: conn.id, error: String(err) })
      this.drop(conn, CLOSE.internal)
    }
  }

  /**
   * A room over its quota: stop reading from the connection, then close it with a code
   * clients retry after. The pause spaces the retries out: y-websocket reconnects 200 ms
   * after a close when the connection had synced, and every one of them had.
   */
  private refuseFull(conn: Connection, fields: Record<string, unknown>): void {
    conn.refusing = true
    conn.inbox.stop()
    conn.socket.pause?.()
    setTimeout(() => {
      conn.socket.resume?.() // so the close handshake can complete
      this.drop(conn, CLOSE.roomFull, fields)
    }, this.limits.roomFullCloseDelayMs).unref?.()
  }

  /** A message this relay does not know: skipped, as the stock relay does, so newer clients keep working. */
  private ignore(conn: Connection, fields: Record<string, unknown>): void {
    this.metrics.unknownMessages++
    this.log('debug', 'unknown-message', { room: conn.room.name, conn: conn.id, ...fields })
  }

  /** Close one misbehaving connection with a named code and a log line; the room carries on. */
  private drop(conn: Connection, reason: CloseReason, fields: Record<string, unknown> = {}): void {
    if (!conn.open) return
    this.reject(conn.socket, conn.room.name, conn.id, reason, fields)
    this.disconnect(conn)
  }

  private reject(socket: SocketLike, room: string, conn: number, reason: CloseReason, fields: Record<string, unknown> = {}): void {
    this.metrics.countClose(reason.code)
    this.log('warn', 'connection-closed', { room, conn, code: reason.code, reason: reason.reason, ...fields })
    this.closeSocket(socket, reason)
  }

  private closeSocket(socket: SocketLike, reason: CloseReason): void {
    try {
      socket.close(reason.code, reason.reason)
    } catch {
      // already closed
    }
  }

  private disconnect(conn: Connection): void {
    if (!conn.open) return
    conn.open = false
    conn.inbox.stop()
    const room = conn.room
    room.dropAwarenessOf(conn)
    room.connections.delete(conn)
    this.maybeEvict(room)
  }

  /** An empty room leaves memory after a while; its next visitor reloads it from the store. */
  private maybeEvict(room: Room<Connection>): void {
    if (room.connections.size > 0 || room.evictionTimer || this.closing) return
    room.evictionTimer = setTimeout(() => void this.evict(room), this.limits.idleEvictMs)
  }

  private async evict(room: Room<Connection>): Promise<void> {
    room.evictionTimer = null
    await room.writes
    if (room.connections.size > 0 || this.rooms.get(room.name) !== room) return
    this.rooms.delete(room.name)
    this.metrics.pendingRooms.delete(room.name)
    room.destroy()
    this.metrics.evictions++
  }

  /** Graceful shutdown: say goodbye, finish every write, compact, close the store. */
  async close(): Promise<void> {
    this.closing = true
    const rooms = [...this.rooms.values()]
    for (const room of rooms) {
      if (room.evictionTimer) clearTimeout(room.evictionTimer)
      for (const conn of [...room.connections.keys()]) {
        conn.inbox.flush()
        this.closeSocket(conn.socket, CLOSE.goingAway)
        this.disconnect(conn)
      }
    }
    await Promise.all(rooms.map(async (room) => {
      await room.writes
      if (room.appendsSinceCompaction > 0) await this.store.compact(room.name).catch(() => {})
      room.destroy()
    }))
    this.rooms.clear()
    await this.store.close()
  }
}

const encodeMessage = (type: number, write: (encoder: encoding.Encoder) => void): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}
