import type { OpName, OpOutput, OpParsedInput } from '../contract';
import type { CoreContext } from '../../core/context';

/** A handler gets its input already validated by the contract's schema. */
export type Handler<N extends OpName> = (
  ctx: CoreContext,
  input: OpParsedInput<N>,
) => Promise<OpOutput<N>> | OpOutput<N>;
export type HandlerMap = { [N in OpName]: Handler<N> };
