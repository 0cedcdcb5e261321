import type { TokenBucket } from './rate-limit.ts'

/**
 * Backpressure for one connection's incoming messages. A client that sends faster than
 * its rate is slowed down, never cut off and never dropped: its messages wait here, in
 * order, until the token bucket has room for them, and meanwhile the transport stops
 * reading its socket (ws's pause), so what it sends next waits in TCP buffers and
 * TCP's flow control carries the slowdown back to the sender.
 *
 * Closing instead (the old 4429) ended stock clients for good, since y-websocket never
 * reconnects after a 44xx close: a burst of 1,500 keystrokes lost 440 of them for
 * everyone else in the room.
 *
 * A paused socket still hands over the frames it had already read, so a backlog forms
 * here; it is capped at `maxQueuedBytes`. Only a transport that cannot pause lets it
 * grow past that, and then `push` says no and the caller closes the connection with a
 * code clients reconnect after (1013): the client then sends what it has again.
 */
export interface Pausable {
  pause?(): void
  resume?(): void
}

export class PacedInbox {
  private queue: Uint8Array[] = []
  /** Index of the next queued message to deliver (shifting a long array costs a copy per message). */
  private head = 0
  private queuedBytes = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private paused = false

  constructor(
    private readonly bucket: TokenBucket,
    private readonly transport: Pausable,
    private readonly deliver: (data: Uint8Array) => void,
    private readonly opts: { maxQueuedBytes: number; onPause?: () => void },
  ) {}

  /** Messages waiting for their turn. */
  get backlog(): number {
    return this.queue.length - this.head
  }

  /** One message in: delivered now, or queued behind the others. False if the backlog is full. */
  push(data: Uint8Array): boolean {
    if (this.backlog === 0 && this.bucket.take()) {
      this.deliver(data)
      return true
    }
    if (this.queuedBytes + data.byteLength > this.opts.maxQueuedBytes) return false
    this.queue.push(data)
    this.queuedBytes += data.byteLength
    if (!this.paused) {
      this.paused = true
      this.transport.pause?.()
      this.opts.onPause?.()
    }
    this.schedule()
    return true
  }

  /** Deliver the whole backlog now: the client has left (or the relay is stopping), and what it sent still counts. */
  flush(): void {
    const queue = this.queue.slice(this.head)
    this.stop()
    for (const data of queue) this.deliver(data)
  }

  /** Forget the backlog and any timer (the connection is gone or being closed). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.queue = []
    this.head = 0
    this.queuedBytes = 0
    // Reading again lets a closing connection finish its close handshake.
    this.resume()
  }

  private schedule(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.drain()
    }, Math.max(1, this.bucket.msUntil()))
  }

  private drain(): void {
    while (this.backlog > 0 && this.bucket.take()) {
      const data = this.queue[this.head++]!
      this.queuedBytes -= data.byteLength
      this.deliver(data)
    }
    if (this.backlog > 0) return this.schedule()
    this.queue = []
    this.head = 0
    this.resume()
  }

  private resume(): void {
    if (!this.paused) return
    this.paused = false
    this.transport.resume?.()
  }
}
