import { check as abaStack } from './aba-stack.js';
import { check as cache } from './cache.js';
import type { Check } from './check.js';
import { check as counter } from './counter.js';
import { check as cronSingleton } from './cron-singleton.js';
import { check as eventBus } from './event-bus.js';
import { check as fencingToken } from './fencing-token.js';
import { check as idempotentPayment } from './idempotent-payment.js';
import { check as inventoryVersion } from './inventory-version.js';
import { check as jobQueue } from './job-queue.js';
import { check as lazyPool } from './lazy-pool.js';
import { check as lockOwnership } from './lock-ownership.js';
import { check as mutex } from './mutex.js';
import { check as onCall } from './on-call.js';
import { check as orderSaga } from './order-saga.js';
import { check as rateLimiter } from './rate-limiter.js';
import { check as requestContext } from './request-context.js';
import { check as rwConfig } from './rw-config.js';
import { check as seatBooking } from './seat-booking.js';
import { check as seatHold } from './seat-hold.js';
import { check as sharedCounter } from './shared-counter.js';
import { check as slidingWindow } from './sliding-window.js';
import { check as spinLock } from './spin-lock.js';
import { check as transfer } from './transfer.js';
import { check as viewCounter } from './view-counter.js';
import { check as withdraw } from './withdraw.js';

/** The hidden check of each exercise graded by the explorer, by exercise id. */
export const CHECKS: Record<string, Check> = {
  counter,
  transfer,
  cache,
  withdraw,
  'inventory-version': inventoryVersion,
  'idempotent-payment': idempotentPayment,
  'on-call': onCall,
  'shared-counter': sharedCounter as unknown as Check,
  'spin-lock': spinLock as unknown as Check,
  'aba-stack': abaStack as unknown as Check,
  mutex,
  'rw-config': rwConfig,
  'event-bus': eventBus,
  'request-context': requestContext,
  'rate-limiter': rateLimiter,
  'lazy-pool': lazyPool,
  'seat-booking': seatBooking,
  'seat-hold': seatHold,
  'job-queue': jobQueue,
  'cron-singleton': cronSingleton,
  'order-saga': orderSaga,
  'lock-ownership': lockOwnership,
  'fencing-token': fencingToken,
  'sliding-window': slidingWindow,
  'view-counter': viewCounter,
};
