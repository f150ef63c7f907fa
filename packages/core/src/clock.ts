/**
 * Milliseconds since the epoch. Scripts take `now` from the caller rather than
 * Redis TIME so that tests can drive retention and visibility with a fake
 * clock (see docs/architecture.md, "Time").
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
