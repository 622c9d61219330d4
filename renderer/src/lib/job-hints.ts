// What a person can do about a job that did not finish.
import type { JobDto } from '../../../main/api/schemas';

export interface JobHint {
  text: string;
  /** 'resume' when running the same operation again continues from the checkpoint. */
  action?: 'resume';
}

const KIND_LABELS: Record<string, string> = {
  ingest: 'Index',
  demo: 'Demo data',
  embed: 'Features',
  'import-embeddings': 'Import embeddings',
  compress: 'Compress',
  refine: 'Refine captions',
  export: 'Export',
  timix: 'TiMix export',
};

export function jobLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/[._-]/g, ' ');
}

export function jobHint(job: JobDto): JobHint | undefined {
  // An index job knows its dataset, whose root is what to index again; other kinds are
  // resumed by starting them again with the same settings.
  const resumable = job.kind === 'ingest' && job.datasetId !== null;
  const again = resumable ? 'resume' : 'start it again with the same settings';
  const hint = (text: string): JobHint => ({ text, ...(resumable ? { action: 'resume' as const } : {}) });
  switch (job.state) {
    case 'interrupted':
      return hint(
        `The app stopped while this ran. Its progress was saved: ${again} to continue where it stopped.`,
      );
    case 'cancelled':
      return hint(`Cancelled. Progress up to the last checkpoint is kept; ${again} to continue.`);
    case 'failed': {
      const e = job.error ?? '';
      if (/ENOENT|does not exist|no such file/i.test(e)) {
        return hint(
          `A file or folder was not found. Check that the dataset is still where it was (a drive unplugged?), then ${again}.`,
        );
      }
      if (/EACCES|EPERM|permission/i.test(e))
        return hint(`Permission denied. Make the dataset readable for your user, then ${again}.`);
      if (/ENOSPC|disk full|no space/i.test(e))
        return hint(`The disk holding the workspace is full. Free some space, then ${again}.`);
      return hint(
        `The job failed; the message above says why. Fix the cause, then ${again}: finished work is kept.`,
      );
    }
    default:
      return undefined;
  }
}
