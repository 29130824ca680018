/**
 * Lets timers, I/O and other requests run before going on. Local SQLite (libsql) answers its async
 * API synchronously, so a loop of awaited writes never gives the event loop a turn: storing a 20 MB
 * OTLP export in its 24 batches held the Node host's event loop for 0.8 s. setImmediate where the
 * host has it (Node: after pending I/O, without a timer's minimum delay), else a zero timeout.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") {
      setImmediate(resolve);
    } else {
      setTimeout(resolve, 0);
    }
  });
}
