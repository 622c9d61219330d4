// Where an export goes, and the rule that no half-written export ever looks complete:
// everything is written under `<dir>.partial-<pid>` and renamed at the very end; on any
// failure the partial folder is removed.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../store/db';
import { isWithinAny } from '../util/paths';
import { ExportError, messageOf } from './errors';
import { MANIFEST_FILE, MANIFEST_KIND } from './manifest';

/** `2025-01-31T12:00:00.123Z` → `20250131-120000-123`: sortable and valid on every file system. */
export function folderTimestamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${iso.slice(20, 23)}`;
}

export function defaultExportDir(
  workspace: string,
  datasetId: number,
  runId: number,
  format: string,
  now: Date,
): string {
  return path.join(
    path.resolve(workspace),
    'exports',
    `${datasetId}-${runId}-${format}-${folderTimestamp(now)}`,
  );
}

async function entries(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return ['(a file)'];
    throw e;
  }
}

/** True when `dir` holds a manifest this app wrote (only such a folder may be overwritten). */
async function isExportFolder(dir: string): Promise<boolean> {
  try {
    const m = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as { kind?: unknown };
    return m.kind === MANIFEST_KIND;
  } catch {
    return false;
  }
}

/**
 * Refuses targets that would touch a dataset or the workspace index, and existing
 * non-empty folders unless `overwrite` is set and the folder is an earlier export.
 */
export async function checkTarget(
  dir: string,
  opts: {
    overwrite: boolean;
    protect: { path: string; what: string; noneInside?: boolean }[];
    /** Folders that are ours (the workspace): writing inside them is fine even inside a protected folder. */
    ours?: string[];
  },
): Promise<void> {
  const inOurs = isWithinAny(dir, opts.ours ?? []);
  for (const p of opts.protect) {
    if (isWithinAny(p.path, [dir])) {
      throw new ExportError('refused', `${dir} contains ${p.what} (${p.path}); choose a folder outside it.`);
    }
    if (p.noneInside && !inOurs && isWithinAny(dir, [p.path])) {
      throw new ExportError(
        'refused',
        `${dir} is inside ${p.what} (${p.path}): exports never write into a dataset folder. Choose a folder outside it.`,
      );
    }
  }
  const found = await entries(dir);
  if (!found || found.length === 0) return;
  if (!opts.overwrite) {
    throw new ExportError(
      'exists',
      `${dir} already exists and is not empty; exports never overwrite. Choose a new folder, or allow overwriting it.`,
    );
  }
  if (!(await isExportFolder(dir))) {
    throw new ExportError(
      'refused',
      `${dir} is not an earlier export (no ${MANIFEST_FILE} written by this app), so it is not overwritten even with overwrite set. Choose a new folder.`,
    );
  }
}

export function partialDir(dir: string, pid = process.pid): string {
  return `${dir}.partial-${pid}`;
}

/** The pid a staging folder name ends with, or undefined when it is not one. */
function stagingPid(name: string): number | undefined {
  const m = /\.partial-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
  // A killed process not yet reaped by its parent (a zombie) still answers signal 0.
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    } catch {
      // gone in between, or no /proc: trust the signal
    }
  }
  return true;
}

/**
 * At engine start: removes the staging folders of exports whose process died (a SIGKILL,
 * a power cut) — those named in interrupted export jobs' checkpoints, wherever they are,
 * and any `*.partial-<pid>` of a dead pid under the workspace's exports folder — and says
 * so in the job's error. Synchronous: it runs once, before any job starts.
 */
export function sweepDeadStaging(db: Db, workspace: string): string[] {
  const removed: string[] = [];
  const drop = (p: string): boolean => {
    const pid = stagingPid(p);
    if (pid === undefined || pid === process.pid || alive(pid)) return false;
    try {
      rmSync(p, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      return false; // not ours to fix here (permissions): the engine must still start
    }
    removed.push(p);
    return true;
  };
  const jobs = db
    .prepare(
      `SELECT id, json_extract(checkpoint, '$.partial') AS partial FROM jobs
       WHERE kind = 'export' AND state = 'interrupted' AND json_extract(checkpoint, '$.partial') IS NOT NULL`,
    )
    .all() as { id: number; partial: string }[];
  for (const j of jobs) {
    if (!drop(j.partial)) continue;
    db.prepare(`UPDATE jobs SET checkpoint = '{}', error = ? WHERE id = ?`).run(
      `interrupted: the engine stopped while exporting; the partial folder ${j.partial} was removed and nothing was exported. Export again.`,
      j.id,
    );
  }
  const exportsDir = path.join(workspace, 'exports');
  let names: string[] = [];
  try {
    names = readdirSync(exportsDir);
  } catch {
    // no exports yet
  }
  for (const n of names) drop(path.join(exportsDir, n));
  return removed;
}

/** Folders of this process being written right now: a second export to one of them is refused. */
const active = new Set<string>();

/**
 * Creates the staging folder. Leftovers of processes that died mid-export (and of this
 * process, from an earlier failed attempt) are removed first; a live export to the same
 * folder is refused.
 */
export async function openStaging(dir: string): Promise<string> {
  if (active.has(dir)) throw new ExportError('exists', `another export to ${dir} is being written right now`);
  active.add(dir); // claimed before the first await: a concurrent call sees it
  try {
    const partial = partialDir(dir);
    const parent = path.dirname(partial);
    await mkdir(parent, { recursive: true });
    const stem = `${path.basename(dir)}.partial-`;
    for (const name of await readdir(parent)) {
      if (!name.startsWith(stem) || !/^\d+$/.test(name.slice(stem.length))) continue;
      const pid = Number(name.slice(stem.length));
      if (pid === process.pid || !alive(pid))
        await rm(path.join(parent, name), { recursive: true, force: true });
    }
    await mkdir(partial);
    return partial;
  } catch (e) {
    active.delete(dir);
    throw e;
  }
}

/** Ends this process's claim on `dir` (after commit or discard). */
export function releaseStaging(dir: string): void {
  active.delete(dir);
}

/** Removes the staging folder; returns a problem text when it could not. */
export async function discardStaging(partial: string): Promise<string | undefined> {
  try {
    await rm(partial, { recursive: true, force: true, maxRetries: 3 });
    return undefined;
  } catch (e) {
    return `the partial folder ${partial} could not be removed (${messageOf(e)}); delete it by hand`;
  }
}

/** Moves the finished staging folder into place, replacing an earlier export only when allowed. */
export async function commitStaging(partial: string, dir: string, overwrite: boolean): Promise<void> {
  const found = await entries(dir);
  if (found && found.length > 0) {
    if (!overwrite) {
      throw new ExportError(
        'exists',
        `${dir} appeared while the export was being written; exports never overwrite.`,
      );
    }
    const aside = `${dir}.replaced-${process.pid}`;
    await rm(aside, { recursive: true, force: true });
    await rename(dir, aside);
    try {
      await rename(partial, dir);
    } catch (e) {
      await rename(aside, dir).catch(() => undefined);
      throw e;
    }
    await syncDir(path.dirname(dir));
    await rm(aside, { recursive: true, force: true });
    return;
  }
  if (found) {
    // An empty folder (or a file, refused above unless overwrite): make room for the rename.
    const st = await stat(dir);
    await rm(dir, { recursive: st.isDirectory(), force: true });
  }
  await rename(partial, dir);
  await syncDir(path.dirname(dir));
}

/** Makes a rename durable (the parent's entry); best effort: Windows cannot open a folder. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // not supported here; the rename itself is still atomic
  }
}
