// A provider's rate limit in simulated time: a request either fits the pool's token buckets (requests, and
// tokens where the pool counts them) or is refused with a 429, as the real API refuses it. The limits are the
// published ones (functions/src/providers/capacity.ts names them with source and date).
import type { RateLimit, RatePool } from '../../../functions/src/providers/capacity.js';
import { TokenBucket } from './events.js';

export class ProviderPool {
  private readonly requests: TokenBucket;
  private readonly tokens?: TokenBucket;
  accepted = 0;
  refused = 0;
  firstRefusal?: number;

  constructor(
    readonly pool: RatePool,
    limit: RateLimit,
  ) {
    const perSecond = limit.rpm / 60;
    this.requests = new TokenBucket(perSecond, Math.max(1, perSecond * limit.burstSeconds));
    if (limit.tpm !== undefined) {
      const tokensPerSecond = limit.tpm / 60;
      this.tokens = new TokenBucket(tokensPerSecond, tokensPerSecond * limit.burstSeconds);
    }
  }

  /** True when the request is accepted; false is a 429. */
  request(now: number, tokens = 0): boolean {
    const fits =
      this.requests.readyAt(now) <= now && (!this.tokens || this.tokens.readyAt(now, tokens) <= now);
    if (fits) {
      this.requests.tryTake(now);
      if (this.tokens && tokens > 0) this.tokens.tryTake(now, tokens);
      this.accepted += 1;
      return true;
    }
    this.refused += 1;
    this.firstRefusal ??= now;
    return false;
  }
}
