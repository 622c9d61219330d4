// A fault-injection seam for the disk-full tests that run through the CLI and the engine
// process, where no small file system can be mounted (CI containers often refuse
// `mount -t tmpfs`). With TLDR_FAULT_EXPORT_ENOSPC_AFTER=<bytes> in the engine's
// environment, the first export write that would take the total past that many bytes fails
// with ENOSPC (whole: a real disk may take part of it first); the writes before it really happen. Unset — as in every normal run —
// it returns undefined and exports use the plain file system.
import { nodeIo, type ExportIo } from './export-io';

export const ENOSPC_AFTER_ENV = 'TLDR_FAULT_EXPORT_ENOSPC_AFTER';

/** An io whose writes fail with ENOSPC once they would take the total past `limit` bytes. */
export function enospcAfter(limit: number, base: ExportIo = nodeIo): ExportIo {
  let total = 0;
  return {
    async create(file) {
      const h = await base.create(file);
      return {
        async write(data) {
          if (total + data.byteLength > limit) {
            const e = new Error(
              `ENOSPC: no space left on device, write (fault injected by ${ENOSPC_AFTER_ENV})`,
            );
            (e as NodeJS.ErrnoException).code = 'ENOSPC';
            throw e;
          }
          await h.write(data);
          total += data.byteLength;
        },
        close: () => h.close(),
      };
    },
  };
}

export function faultIoFromEnv(env: NodeJS.ProcessEnv = process.env): ExportIo | undefined {
  const v = env[ENOSPC_AFTER_ENV];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${ENOSPC_AFTER_ENV} must be a byte count, got "${v}"`);
  return enospcAfter(n);
}
