// Throughput with a fixed number of calls in flight: calls started during the window, divided by the time until the
// last of them answered (so calls still running when the window closes are neither lost nor counted for free).
export async function inFlightWindow(
  next: (n: number) => Promise<unknown>,
  seconds: number,
  inFlight = 4,
): Promise<{ calls: number; seconds: number }> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let started = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) await next(started++);
    }),
  );
  return { calls: started, seconds: (performance.now() - start) / 1000 };
}

export async function callsPerSecond(
  next: (n: number) => Promise<unknown>,
  seconds: number,
  inFlight = 4,
): Promise<number> {
  const w = await inFlightWindow(next, seconds, inFlight);
  return w.calls / w.seconds;
}
