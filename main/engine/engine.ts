// The engine: owns the database, the job runner and (later) the ORT sessions, and
// answers contract operations. Every transport calls `call`; nothing else reaches core.
import { handlers } from '../api/handlers';
import type { Handler } from '../api/handlers/types';
import { ApiError, parseInput, type ApiErrorShape, type EngineEvent, type OpName } from '../api/contract';
import { jobDto } from '../api/handlers/dto';
import { closeCore, openCore, type CoreContext } from '../core/context';
import { MissingFeaturesError } from '../core/compress/load-data';
import { ExportError } from '../core/export';
import { UserInputError } from '../core/ingest/index-dataset';

export type CallResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorShape };

export class Engine {
  readonly ctx: CoreContext;
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  constructor(workspace: string) {
    this.ctx = openCore(workspace);
    this.ctx.jobs.on('job', (j) => this.emit({ type: 'job', job: jobDto(j) }));
  }

  onEvent(cb: (e: EngineEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Validates the input at the contract, runs the handler, and maps failures to ApiError. */
  async call(name: string, input: unknown): Promise<CallResult> {
    try {
      const parsed = parseInput(name, input);
      const handler = handlers[name as OpName] as Handler<OpName>;
      const value = await handler(this.ctx, parsed as never);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  async close(): Promise<void> {
    await closeCore(this.ctx);
  }
}

export function toApiError(e: unknown): ApiErrorShape {
  if (e instanceof ApiError) return e.toJSON();
  if (e instanceof UserInputError) {
    return { code: 'invalid_input', message: e.message, ...(e.detection ? { details: e.detection } : {}) };
  }
  if (e instanceof MissingFeaturesError) return { code: 'invalid_input', message: e.message };
  if (e instanceof ExportError && (e.kind === 'refused' || e.kind === 'exists')) {
    return { code: 'conflict', message: e.message };
  }
  return { code: 'failed', message: e instanceof Error ? e.message : String(e) };
}
