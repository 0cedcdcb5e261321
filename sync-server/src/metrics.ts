import { CLOSE } from '../../crdt/contracts/wire-protocol.ts'

/** Counters for /metrics (Prometheus text format) and /healthz. */
export class RelayMetrics {
  connections = 0
  connectionsTotal = 0
  messagesIn = 0
  messagesOut = 0
  bytesIn = 0
  bytesOut = 0
  updatesStored = 0
  compactions = 0
  evictions = 0
  /** Times a connection sending faster than its rate was paused (slowed down, not closed). */
  throttled = 0
  /** Messages of a type this relay does not know, ignored. */
  unknownMessages = 0
  readonly errors = { storage: 0, protocol: 0, socket: 0 }
  readonly closes = new Map<number, number>()
  /** Rooms holding updates whose dependencies never arrived (a client sent a partial history). */
  readonly pendingRooms = new Set<string>()

  countClose(code: number): void {
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1)
    if (code === CLOSE.badMessage.code) this.errors.protocol++
  }

  render(extra: { rooms: number }): string {
    const lines = [
      '# TYPE plank_rooms gauge', `plank_rooms ${extra.rooms}`,
      '# TYPE plank_connections gauge', `plank_connections ${this.connections}`,
      '# TYPE plank_connections_total counter', `plank_connections_total ${this.connectionsTotal}`,
      '# TYPE plank_messages_in_total counter', `plank_messages_in_total ${this.messagesIn}`,
      '# TYPE plank_messages_out_total counter', `plank_messages_out_total ${this.messagesOut}`,
      '# TYPE plank_bytes_in_total counter', `plank_bytes_in_total ${this.bytesIn}`,
      '# TYPE plank_bytes_out_total counter', `plank_bytes_out_total ${this.bytesOut}`,
      '# TYPE plank_updates_stored_total counter', `plank_updates_stored_total ${this.updatesStored}`,
      '# TYPE plank_compactions_total counter', `plank_compactions_total ${this.compactions}`,
      '# TYPE plank_evictions_total counter', `plank_evictions_total ${this.evictions}`,
      '# TYPE plank_throttled_total counter', `plank_throttled_total ${this.throttled}`,
      '# TYPE plank_unknown_messages_total counter', `plank_unknown_messages_total ${this.unknownMessages}`,
      '# TYPE plank_rooms_with_missing_updates gauge', `plank_rooms_with_missing_updates ${this.pendingRooms.size}`,
      '# TYPE plank_errors_total counter',
      ...Object.entries(this.errors).map(([kind, n]) => `plank_errors_total{kind="${kind}"} ${n}`),
      '# TYPE plank_closes_total counter',
      ...[...this.closes].map(([code, n]) => `plank_closes_total{code="${code}"} ${n}`),
      `process_resident_memory_bytes ${process.memoryUsage().rss}`,
    ]
    return `${lines.join('\n')}\n`
  }
}
