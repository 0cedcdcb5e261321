/**
 * A token bucket per connection: `burst` messages at once, refilled at `perSecond`.
 * It never refuses anyone by itself: backpressure.ts holds a connection's messages
 * back (and stops reading its socket) until the bucket has a token for them.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst
    this.last = now()
  }

  take(cost = 1): boolean {
    this.refill()
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }

  /** Milliseconds until `cost` tokens are there (0 if they are now). */
  msUntil(cost = 1): number {
    this.refill()
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.perSecond) * 1000)
  }

  private refill(): void {
    const t = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond)
    this.last = t
  }
}
