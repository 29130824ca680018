import type { Clock } from "../../src/clock";

export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(at: Date | string): void;
}

/** A clock that only moves when told to; `sleep` advances it instead of waiting. */
export function createFakeClock(start: Date | string = "2026-01-01T00:00:00.000Z"): FakeClock {
  let nowMs = new Date(start).getTime();
  return {
    now: () => new Date(nowMs),
    sleep: async (ms) => {
      nowMs += ms;
    },
    advance: (ms) => {
      nowMs += ms;
    },
    set: (at) => {
      nowMs = new Date(at).getTime();
    },
  };
}
