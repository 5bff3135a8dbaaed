#!/usr/bin/env node
// The README's two commands, on a machine with only Node 20 and npm:
//   npm start  → install, build, run the product (engine + gateway) with embedded defaults
//   npm test   → install, build, then every check: format, lint, types and the whole jest suite
// pnpm is fetched through npx (corepack cannot download it everywhere).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@10.34.9';
const command = process.argv[2];

function pnpm(...args) {
  const result = spawnSync('npx', ['--yes', PNPM, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (command !== 'start' && command !== 'test') {
  console.error('usage: node scripts/run.mjs start|test');
  process.exit(2);
}

console.log(`› installing dependencies (${PNPM})`);
pnpm('install', '--frozen-lockfile');
console.log('› building');
pnpm('run', 'build');
if (command === 'test') {
  pnpm('run', 'check');
} else {
  // Run by node itself, not through npx and pnpm: a SIGINT or SIGTERM sent to this process alone (a supervisor,
  // `kill`) reaches the services' launcher, which stops both, instead of leaving them running without a parent.
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
