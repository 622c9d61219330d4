#!/usr/bin/env node
// `npm run bench -- <name> [args]` runs test/bench/<name>.ts. Each benchmark prints as its
// last line `BENCH <name> key=value ...` with its figures and the ratio to its baseline.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'test', 'bench');
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const file = path.join(benchDir, `${name}.ts`);
if (!existsSync(file)) process.exit(2);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...rest], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
