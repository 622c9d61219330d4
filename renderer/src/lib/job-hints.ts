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
};

export function jobLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/[._-]/g, ' ');
}

export function jobHint(job: JobDto): JobHint | undefined {
  // An index job knows its dataset, whose root is what to index again; other kinds say how.
  const resumable = job.kind === 'ingest' && job.datasetId !== null;
  switch (job.state) {
    case 'interrupted':
      return {
        text: 'The app stopped while this ran. Its progress was saved: resume to continue where it stopped.',
        ...(resumable ? { action: 'resume' as const } : {}),
      };
    case 'cancelled':
      return {
        text: 'Cancelled. Progress up to the last checkpoint is kept; resume to continue.',
        ...(resumable ? { action: 'resume' as const } : {}),
      };
    case 'failed': {
      const e = job.error ?? '';
      if (/ENOENT|does not exist|no such file/i.test(e)) {
        return {
          text: 'A file or folder was not found. Check that the dataset is still where it was (a drive unplugged?), then resume.',
          ...(resumable ? { action: 'resume' as const } : {}),
        };
      }
      if (/EACCES|EPERM|permission/i.test(e)) {
        return {
          text: 'Permission denied. Make the dataset readable for your user, then resume.',
          ...(resumable ? { action: 'resume' as const } : {}),
        };
      }
      if (/ENOSPC|disk full|no space/i.test(e)) {
        return {
          text: 'The disk holding the workspace is full. Free some space, then resume.',
          ...(resumable ? { action: 'resume' as const } : {}),
        };
      }
      return {
        text: 'The job failed; the message above says why. Fix the cause and resume: finished work is kept.',
        ...(resumable ? { action: 'resume' as const } : {}),
      };
    }
    default:
      return undefined;
  }
}
