/**
 * The state of the outermost layer call in progress (Keras's `CallContext`): nested calls
 * inherit `training` from it, and only the outermost call clears the losses of the last call.
 */
export interface CallContext {
  training: boolean | undefined;
}

const stack: CallContext[] = [];

export function currentCallContext(): CallContext | undefined {
  return stack[stack.length - 1];
}

/** Runs `fn` inside a call context; returns whether this was the outermost call. */
export function withCallContext<T>(ctx: CallContext, fn: (outermost: boolean) => T): T {
  const outermost = stack.length === 0;
  stack.push(ctx);
  try {
    return fn(outermost);
  } finally {
    stack.pop();
  }
}
