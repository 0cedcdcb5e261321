/**
 * A token bucket per connection: `burst` messages at once, refilled at `perSecond`.
 * A client over its limit is disconnected (4429) rather than having messages dropped:
 * y-websocket reconnects and re-syncs, so nothing it sent is lost, while a flood stops.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst
    this.last = now()
  }

  take(cost = 1): boolean {
    const t = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond)
    this.last = t
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }
}
