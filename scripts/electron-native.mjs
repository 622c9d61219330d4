#!/usr/bin/env node
// Builds better-sqlite3 for the installed Electron into build/electron-native/, leaving
// node_modules/better-sqlite3 (the Node build the tests and the CLI load) untouched:
// the package is copied to a temp folder and built there, with a prebuilt binary when
// one is published (prebuild-install) or from source (node-gyp). The app's engine loads
// the result through TLDR_SQLITE_BINDING; electron-builder ships it as an extra resource.
//
//   node scripts/electron-native.mjs           build if missing or outdated; offline: warn, exit 0
//   node scripts/electron-native.mjs --force   rebuild; any failure exits 1
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { lookup } from 'node:dns/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const outDir = path.join(root, 'build', 'electron-native');
const target = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'stamp.json');

function say(msg) {
  process.stderr.write(`electron-native: ${msg}\n`);
}

/** Offline (or any failure without --force): say what to do, and let `npm start` go on. */
function giveUp(msg) {
  say(msg);
  say('the app needs this build to open its database; run `npm run rebuild:electron` once online.');
  say('(tests and the CLI use the Node build of better-sqlite3 and are not affected.)');
  process.exit(force ? 1 : 0);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

const electronPkg = path.join(root, 'node_modules', 'electron', 'package.json');
const sqlitePkg = path.join(root, 'node_modules', 'better-sqlite3', 'package.json');
if (!existsSync(electronPkg)) giveUp('electron is not installed (npm install first).');
if (!existsSync(sqlitePkg)) giveUp('better-sqlite3 is not installed (npm install first).');

const want = {
  electron: readJson(electronPkg).version,
  betterSqlite3: readJson(sqlitePkg).version,
  platform: process.platform,
  arch: process.arch,
};

if (!force && existsSync(target) && existsSync(stampFile)) {
  const have = readJson(stampFile);
  if (Object.keys(want).every((k) => have[k] === want[k])) {
    say(
      `up to date (better-sqlite3 ${want.betterSqlite3} for Electron ${want.electron}, ${want.platform}-${want.arch}).`,
    );
    process.exit(0);
  }
}

// Both ways need the network: prebuilt binaries come from GitHub, headers from electronjs.org.
async function online(host) {
  try {
    await Promise.race([
      lookup(host),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
    ]);
    return true;
  } catch {
    return false;
  }
}
const [github, electronHeaders] = await Promise.all([
  online('github.com'),
  online('artifacts.electronjs.org'),
]);
if (!github && !electronHeaders)
  giveUp('offline (cannot resolve github.com or artifacts.electronjs.org): skipped.');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tldr-electron-native-'));
const work = path.join(tmp, 'better-sqlite3');
const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
try {
  cpSync(path.dirname(sqlitePkg), work, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(path.dirname(sqlitePkg), src).split(path.sep)[0];
      return rel !== 'build' && rel !== 'node_modules';
    },
  });

  function run(label, cmd, args, timeoutMs) {
    say(`${label}…`);
    const r = spawnSync(cmd, args, {
      cwd: work,
      stdio: 'inherit',
      timeout: timeoutMs,
      env: { ...process.env, npm_config_runtime: 'electron' },
    });
    return r.status === 0 && existsSync(built);
  }

  const common = [`--target=${want.electron}`, `--arch=${want.arch}`];
  const prebuild = path.join(root, 'node_modules', 'prebuild-install', 'bin.js');
  const gyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const ok =
    (github &&
      existsSync(prebuild) &&
      run(
        `downloading a prebuilt better-sqlite3 ${want.betterSqlite3} for Electron ${want.electron}`,
        process.execPath,
        [prebuild, '--runtime=electron', `--platform=${want.platform}`, ...common],
        180_000,
      )) ||
    (electronHeaders &&
      existsSync(gyp) &&
      run(
        `no prebuilt binary; compiling better-sqlite3 for Electron ${want.electron} (needs Python and a C++ compiler)`,
        process.execPath,
        [
          gyp,
          'rebuild',
          '--release',
          '--runtime=electron',
          '--dist-url=https://electronjs.org/headers',
          ...common,
        ],
        30 * 60_000,
      ));
  if (!ok) giveUp(`could not build better-sqlite3 for Electron ${want.electron}.`);

  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, target);
  writeFileSync(stampFile, `${JSON.stringify(want, null, 2)}\n`);
  say(`built ${path.relative(root, target)} (${(statSync(target).size / 1024 / 1024).toFixed(1)} MiB).`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
