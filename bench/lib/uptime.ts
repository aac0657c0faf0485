/**
 * Building an app "as if the process had been up for a while". The in-process session cache can
 * vouch for a miss only for times more than 30 minutes after it was created (before that a miss
 * may be a session written by the previous process, so it asks the event store); a benchmark that
 * starts a fresh app would measure only that start-up regime. Shifting the clock while the app is
 * built emulates a server that has been running for `uptimeMs`.
 */

/**
 * Run `build` with `Date.now()` reading `uptimeMs` in the past. Objects that keep a reference to
 * `Date.now` (default clock parameters) keep a wrapper that reads the real time once `build` has
 * finished, so only state computed during construction sees the shifted clock.
 */
export async function buildAsIfUpFor<T>(uptimeMs: number, build: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  let offset = -uptimeMs;
  Date.now = () => realNow() + offset;
  try {
    return await build();
  } finally {
    offset = 0;
    Date.now = realNow;
  }
}
