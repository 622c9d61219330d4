// The benchmark side: runs one stage script in its own process (so its peak RSS is its
// own) and parses the JSON line StageProbe printed.
import { spawnSync } from 'node:child_process';
import type { StageOut } from './probe';

export type { StageOut } from './probe';

export function spawnStage(script: string, name: string, args: Record<string, unknown>): StageOut {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', script, name, JSON.stringify(args)],
    { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`stage ${name} failed (exit ${r.status}, signal ${r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as StageOut;
}
