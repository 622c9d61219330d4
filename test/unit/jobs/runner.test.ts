import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { JobRunner } from '../../../main/core/jobs/runner';
import { openDatabase } from '../../../main/core/store/db';
import { tempDir } from '../../helpers/tmp';

describe('JobRunner', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('persists checkpoints: a job whose process died resumes from its last checkpoint', async () => {
    const file = path.join(t.dir, 'a.db');
    const db1 = openDatabase(file);
    const r1 = new JobRunner(db1);
    const blocked = new Promise<void>(() => {}); // never settles: the process "dies" first
    const j1 = r1.start('count', null, { resumeKey: 'x' }, async (ctx) => {
      ctx.saveCheckpoint({ done: 7 });
      await blocked;
    });
    expect(r1.get(j1.id)?.state).toBe('running');
    db1.close(); // the process dies: no state update happens

    const db2 = openDatabase(file);
    const r2 = new JobRunner(db2); // marks the orphan as interrupted
    expect(r2.get(j1.id)?.state).toBe('interrupted');
    let seen: unknown;
    const j2 = r2.start('count', null, { resumeKey: 'x' }, async (ctx) => {
      seen = ctx.checkpoint;
      return { ok: true };
    });
    expect(j2.id).toBe(j1.id);
    const done = await r2.wait(j2.id);
    expect(seen).toEqual({ done: 7 });
    expect(done.state).toBe('done');
    expect(done.result).toEqual({ ok: true });
    db2.close();
  });

  it('cancel stops a job at its next check and records it as cancelled; failures keep the message', async () => {
    const db = openDatabase(':memory:');
    const r = new JobRunner(db);
    const events: string[] = [];
    r.on('job', (j) => events.push(`${j.id}:${j.state}`));
    const j = r.start('loop', null, {}, async (ctx) => {
      for (let i = 0; ; i++) {
        ctx.progress({ stage: 'loop', done: i, total: 1e9 });
        ctx.throwIfCancelled();
        await new Promise((res) => setTimeout(res, 5));
      }
    });
    await new Promise((res) => setTimeout(res, 50));
    expect(r.cancel(j.id)).toBe(true);
    expect((await r.wait(j.id)).state).toBe('cancelled');
    const f = r.start('boom', null, {}, async () => {
      throw new Error('disk full');
    });
    const failed = await r.wait(f.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe('disk full');
    expect(events).toContain(`${j.id}:cancelled`);
    expect(r.cancel(f.id)).toBe(false);
    db.close();
  });
});
