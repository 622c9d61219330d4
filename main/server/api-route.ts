// POST /api/<op>: the JSON body is the operation's input, the answer its output, or
// {error:{code,message}} with the status that goes with the code. Generic over the
// contract: a new operation needs nothing here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contract } from '../api/contract';
import type { CallFn } from './media-access';
import { BodyError, readJsonBody, sendError, sendJson, statusForCode, toErrorShape } from './http-util';

export async function handleApi(
  call: CallFn,
  op: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!Object.hasOwn(contract, op)) {
    sendError(res, 404, { code: 'unknown_operation', message: `unknown operation "${op}"` });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, 405, { code: 'invalid_input', message: `${op} takes POST with a JSON body` });
    return;
  }
  // A JSON content type forces browsers to preflight cross-origin calls (no CORS is granted).
  const type = req.headers['content-type'] ?? '';
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > 0 && !/^application\/json\b/i.test(type)) {
    sendError(res, 415, { code: 'invalid_input', message: 'the body must be application/json' });
    return;
  }
  let input: unknown;
  try {
    input = await readJsonBody(req);
  } catch (e) {
    const status = e instanceof BodyError ? e.status : 400;
    // The client may still be sending: answer, then close rather than read more.
    if (status === 413) res.setHeader('Connection', 'close');
    sendError(res, status, { code: 'invalid_input', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  try {
    const value = await call(op, input);
    sendJson(res, 200, value ?? null);
  } catch (e) {
    const error = toErrorShape(e);
    sendError(res, statusForCode(error.code), error);
  }
}
