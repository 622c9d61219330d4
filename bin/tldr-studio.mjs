#!/usr/bin/env node
// Runs the TypeScript source through tsx in a clone (after `npm ci`), or the built CLI
// in an installed package that ships only out/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'main', 'cli', 'index.ts');
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(path.join(root, 'out', 'cli', 'index.js')).href);
}
