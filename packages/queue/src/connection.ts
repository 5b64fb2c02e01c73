import { Redis, type RedisOptions } from "ioredis";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/**
 * Producers fail fast when Redis is away (enableOfflineQueue: false) so that callers can spill
 * events to disk; workers wait forever for Redis (maxRetriesPerRequest: null), as BullMQ requires.
 */
export function producerConnection(url = DEFAULT_REDIS_URL, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...extra,
  });
}

export function workerConnection(url = DEFAULT_REDIS_URL, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000), ...extra });
}
