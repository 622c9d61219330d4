import { providers } from '../../core/compute/providers';
import { APP_VERSION } from '../../core/version';
import type { Handler } from './types';

export const status: Handler<'engine.status'> = (ctx) => ({
  version: APP_VERSION,
  workspace: ctx.workspace,
  node: process.version,
});

export const providerStatus: Handler<'engine.providers'> = async (_ctx, input) => {
  if (input.prefer) providers.setPreferred(input.prefer);
  return providers.status();
};
