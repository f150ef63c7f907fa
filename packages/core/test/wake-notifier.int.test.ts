import { Redis } from 'ioredis';
import { useRedis } from '../../../test/support/redis';
import { WakeNotifier } from '../src/wake-notifier';

const redis = useRedis();

/** A notifier on its own subscriber connection, and a connection to publish. */
function connect() {
  const subscriber = new Redis(redis.url);
  const publisher = new Redis(redis.url);
  const notifier = new WakeNotifier(subscriber, (ms) => ms);
  return {
    notifier,
    publisher,
    close: () => {
      notifier.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

/** Resolves true if `wait` settles within `ms`, false if it is still waiting. */
async function settlesWithin(wait: Promise<void>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([wait.then(() => true as const), late]);
  clearTimeout(timer);
  return settled;
}

describe('wake notifier', () => {
  test('a wake taken by a receive that leaves without using it goes to the next waiter', async () => {
    const { notifier, publisher, close } = connect();
    try {
      // `inFlight` holds its ticket while its look at the queue is running;
      // `waiting` has looked already and sleeps.
      const inFlight = await notifier.ticket('wake');
      const waiting = await notifier.ticket('wake');
      const sleeping = waiting.wait(Date.now() + 10_000);
      await publisher.publish('wake', '1');
      while (!inFlight.woken) {
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(waiting.woken).toBe(false);
      // Its look returned other messages: it leaves, passing the wake on.
      await inFlight.release(true);
      expect(await settlesWithin(sleeping, 2000)).toBe(true);
      expect(waiting.woken).toBe(true);
      await waiting.release();
    } finally {
      close();
    }
  });

  test('a receive that looks again keeps its wake', async () => {
    const { notifier, publisher, close } = connect();
    try {
      const woken = await notifier.ticket('wake');
      const other = await notifier.ticket('wake');
      const stop = new AbortController();
      const sleeping = other.wait(Date.now() + 10_000, stop.signal);
      await publisher.publish('wake', '1');
      await woken.wait(Date.now() + 5000);
      expect(woken.woken).toBe(true);
      await woken.release(false);
      expect(await settlesWithin(sleeping, 300)).toBe(false);
      expect(other.woken).toBe(false);
      stop.abort();
      await other.release();
    } finally {
      close();
    }
  });
});
