// A fake engine in a process of its own, answering every call at once with the canned results: the load
// benchmark measures the gateway alone, and its load generator's event loop must not delay the answers.
// `node dist/serve.js` (forked with IPC): sends { port } once listening; SIGTERM stops it.
import { FakeEngine } from './fake-engine';

const engine = new FakeEngine({ keepRequests: false });
engine
  .start()
  .then(() => {
    process.send?.({ port: engine.port });
    process.once('SIGTERM', () => void engine.stop().then(() => process.exit(0)));
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
