import {
  PollingBackoff,
  exponentialDelay,
  retryDelaySeconds,
} from '../src/backoff';

describe('exponentialDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => exponentialDelay(n, 1, 10))).toEqual([
      1, 2, 4, 8, 10, 10,
    ]);
  });

  it('survives huge attempt counts', () => {
    expect(exponentialDelay(10_000, 1, 900)).toBe(900);
  });
});

describe('retryDelaySeconds', () => {
  it('is base * 2^(receiveCount-1) without jitter', () => {
    const options = { baseSeconds: 2, maxSeconds: 60, jitter: false };
    expect([1, 2, 3, 6].map((n) => retryDelaySeconds(n, options))).toEqual([
      2, 4, 8, 60,
    ]);
  });

  it('picks uniformly in 0..delay with full jitter', () => {
    const options = { baseSeconds: 1, maxSeconds: 300 };
    expect(retryDelaySeconds(4, options, () => 0)).toBe(0);
    expect(retryDelaySeconds(4, options, () => 0.5)).toBe(4);
    expect(retryDelaySeconds(4, options, () => 0.999999)).toBe(8);
  });

  it('defaults to 1 s doubling to 300 s with jitter', () => {
    expect(retryDelaySeconds(1, {}, () => 1)).toBe(1);
    expect(retryDelaySeconds(30, {}, () => 1)).toBe(300);
    expect(retryDelaySeconds(30, {}, () => 0)).toBe(0);
  });

  it('never goes past the cap or below 0 for any draw', () => {
    for (let n = 1; n < 40; n += 1) {
      const seconds = retryDelaySeconds(n, { maxSeconds: 45 });
      expect(Number.isInteger(seconds)).toBe(true);
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(seconds).toBeLessThanOrEqual(45);
    }
  });
});

describe('PollingBackoff', () => {
  it('waits between half and all of a doubling step, capped', () => {
    const low = new PollingBackoff({ baseMs: 100, maxMs: 1000 }, () => 0);
    expect([1, 2, 3, 4, 5].map(() => low.next())).toEqual([
      50, 100, 200, 400, 500,
    ]);
    const high = new PollingBackoff({ baseMs: 100, maxMs: 1000 }, () => 1);
    expect([1, 2, 3, 4, 5].map(() => high.next())).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('starts over after a reset', () => {
    const backoff = new PollingBackoff({ baseMs: 100, maxMs: 1000 }, () => 1);
    backoff.next();
    backoff.next();
    expect(backoff.failing).toBe(true);
    backoff.reset();
    expect(backoff.failing).toBe(false);
    expect(backoff.next()).toBe(100);
  });
});
