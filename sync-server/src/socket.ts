/**
 * What the relay core needs from a connection. The ws binding (ws-edge.ts) adapts a
 * real WebSocket to this; tests drive the core with plain objects, no ports.
 */
export interface SocketLike {
  send(data: Uint8Array): void
  close(code: number, reason: string): void
  /** Stop and restart reading from the client, so a fast sender is slowed rather than cut off (backpressure.ts). */
  pause?(): void
  resume?(): void
}

/** Events the transport reports to the core for one connection. */
export interface ConnectionHandle {
  message(data: Uint8Array): void
  closed(): void
}
