import { createHash } from 'node:crypto';
import type { Db } from '@fascia/db';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { QueryResult } from 'typeorm';

export interface SignInLimitSettings {
  /** Attempts per account (email) in `accountWindowSeconds` before it is locked for as long. */
  accountFailures: number;
  accountWindowSeconds: number;
  /** Failed attempts from one client address in `addressWindowSeconds` before it is refused for as long. */
  addressFailures: number;
  addressWindowSeconds: number;
}

export const SIGN_IN_LIMITS: SignInLimitSettings = {
  accountFailures: 5,
  accountWindowSeconds: 15 * 60,
  addressFailures: 50,
  addressWindowSeconds: 60 * 60,
};

export interface SignInBlock {
  /** Which limit was reached: the account's failures, or the client address's. */
  limit: 'account' | 'address';
  retryAfterSeconds: number;
}

/**
 * Sign-in attempt counters in PostgreSQL (table `sign_in_limit`), so every API process
 * shares them. Each attempt is counted before the password is checked (one atomic upsert:
 * parallel guesses cannot slip past a check-then-count); a correct password clears the
 * account's counter and gives the address its attempt back, so in effect failures count.
 * Keys are SHA-256 hashes of the normalized email and the client address.
 */
export class SignInLimits {
  private readonly account: RateLimiterPostgres;
  private readonly address: RateLimiterPostgres;

  constructor(db: Db, settings: SignInLimitSettings = SIGN_IN_LIMITS) {
    // rate-limiter-flexible's "client" store: anything with query({ text, values }) → { rows, rowCount }.
    // Each statement runs as fascia_system through the one database door.
    const storeClient = {
      query: (q: { text: string; values?: unknown[] }) =>
        db.system(async (em) => {
          // The transaction's query runner gives the structured result (rows and affected count).
          const r: QueryResult = await em.queryRunner!.query(q.text, q.values, true);
          const rows = (r.records ?? []) as unknown[];
          return { rows, rowCount: r.affected ?? rows.length };
        }),
    };
    const common = { storeClient, storeType: 'client', tableName: 'sign_in_limit', tableCreated: true };
    this.account = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'account',
      points: settings.accountFailures,
      duration: settings.accountWindowSeconds,
      blockDuration: settings.accountWindowSeconds,
    });
    this.address = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'address',
      points: settings.addressFailures,
      duration: settings.addressWindowSeconds,
      blockDuration: settings.addressWindowSeconds,
      // One table: the account limiter's timer already deletes expired rows every 5 minutes.
      clearExpiredByTimeout: false,
    });
  }

  /** Counts an attempt; returns the block when the account or the address is over its limit. */
  async attempt(email: string, address: string | null): Promise<SignInBlock | null> {
    const [account, addr] = await Promise.all([consume(this.account, hash(email)), address ? consume(this.address, hash(address)) : null]);
    if (account) return { limit: 'account', retryAfterSeconds: account };
    if (addr) return { limit: 'address', retryAfterSeconds: addr };
    return null;
  }

  /** The password was right: the account starts afresh and the address gets its attempt back. */
  async succeeded(email: string, address: string | null): Promise<void> {
    await Promise.all([this.account.delete(hash(email)), address ? this.address.reward(hash(address), 1) : null]);
  }
}

const hash = (s: string): string => createHash('sha256').update(s).digest('base64url');

/** Seconds to wait when over the limit, or 0 when the attempt is allowed. */
async function consume(limiter: RateLimiterPostgres, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}
