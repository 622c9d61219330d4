import type { OpInput, OpName, OpOutput } from '../contract';
import type { CoreContext } from '../../core/context';

/** A handler gets its input already validated by the contract's schema. */
export type Handler<N extends OpName> = (
  ctx: CoreContext,
  input: OpInput<N>,
) => Promise<OpOutput<N>> | OpOutput<N>;
export type HandlerMap = { [N in OpName]: Handler<N> };
