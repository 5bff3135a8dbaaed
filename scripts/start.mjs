#!/usr/bin/env node
// Runs the product on one machine: the engine, then the gateway once the engine reports SERVING.
// Each service prints where it listens; Ctrl-C stops both (they drain in-flight work first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const services = [
  // The engine's workers scale across cores only without V8's parallel GC threads (services/engine/src/main.ts).
  { name: 'engine', entry: 'services/engine/dist/main.js', flags: ['--single-threaded-gc'] },
  { name: 'gateway', entry: 'services/gateway/dist/main.js', flags: [] },
].filter((s) => existsSync(path.join(root, s.entry)));

const children = services.map((s) => {
  const child = spawn(process.execPath, [...s.flags, s.entry], {
    cwd: root,
    stdio: 'inherit',
    env: { NODE_ENV: 'development', ...process.env },
  });
  child.on('exit', (code, signal) => {
    console.log(`${s.name} exited (${signal ?? code})`);
    shutdown(code ?? 1);
  });
  return child;
});

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 15_000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? 0 : new Promise((r) => c.on('exit', r))))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
