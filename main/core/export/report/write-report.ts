// writeReport: one self-contained .html for a dataset's runs, written under a temporary
// name and renamed, never over an existing file unless asked.
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../store/db';
import { ExportError, isDiskFull, messageOf } from '../errors';
import { folderTimestamp } from '../staging';
import { loadReportData } from './from-db';
import { renderReport } from './render';

export interface WriteReportOptions {
  db: Db;
  workspace: string;
  datasetId: number;
  runIds: number[];
  /** The .html file to write; or `outDir` (default `<workspace>/reports`) with a generated name. */
  outFile?: string | undefined;
  outDir?: string | undefined;
  overwrite?: boolean | undefined;
  title?: string | undefined;
  now?: (() => Date) | undefined;
}

export interface WrittenReport {
  file: string;
  bytes: number;
  sha256: string;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function writeReport(opts: WriteReportOptions): Promise<WrittenReport> {
  if (opts.runIds.length === 0) throw new ExportError('refused', 'choose at least one run for the report');
  const now = opts.now?.() ?? new Date();
  const html = renderReport(
    loadReportData(opts.db, { datasetId: opts.datasetId, runIds: opts.runIds, title: opts.title, now }),
  );
  const file = path.resolve(
    opts.outFile ??
      path.join(
        opts.outDir ?? path.join(opts.workspace, 'reports'),
        `${opts.datasetId}-report-${folderTimestamp(now)}.html`,
      ),
  );
  if (!opts.overwrite && (await exists(file))) {
    throw new ExportError(
      'exists',
      `${file} already exists; reports never overwrite. Choose another name, or allow overwriting it.`,
    );
  }
  const tmp = `${file}.partial-${process.pid}`;
  const data = Buffer.from(html, 'utf8');
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, data, { flag: 'w' });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (isDiskFull(e))
      throw new ExportError('disk_full', `the disk is full while writing ${file}; nothing was left behind`, {
        cause: e,
      });
    throw new ExportError(
      'failed',
      `the report ${file} could not be written: ${messageOf(e)}; nothing was left behind`,
      { cause: e },
    );
  }
  return { file, bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}
