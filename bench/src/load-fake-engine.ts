// The fake engine for the load benchmark: @deepface/fake-engine's server (the one the gateway's tests use) in a
// child process of its own, answering at once with valid canned results, so a load run measures the gateway
// alone and the load generator's event loop cannot delay the answers.
import { fork, type ChildProcess } from 'node:child_process';
import { SERVE_MAIN } from '@deepface/fake-engine';

export interface FakeEngineProcess {
  child: ChildProcess;
  address: string;
  stop(): Promise<void>;
}

/** Forks the fake engine's serve entry and waits for the port it bound. */
export async function startFakeEngine(): Promise<FakeEngineProcess> {
  const child = fork(SERVE_MAIN, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(Number((m as { port: number }).port)));
    child.once('exit', (code) => reject(new Error(`fake engine exited (${code})`)));
  });
  return {
    child,
    address: `127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
