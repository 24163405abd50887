// The public entry, `import { … } from 'gntbench'`: what a strategy module written outside
// this repository needs (examples/btree-strategy.ts, `gntbench check|run|replay --strategy
// ./mine.js`). Re-exports only; everything else in src/ is internal and may change.
//
//   the module interface   StrategyEntry (export it as `strategy`) or StrategyFactory (as
//                          `createStrategy`), the Strategy it returns and its parts;
//   the device's vocabulary page and notify constants, the offset space, errno values;
//   helpers                the neutral policy, no limits, no quirks, fresh cost counters, and the
//                          InvariantError that `check()` throws.

export { EAGAIN, EBUSY, EFAULT, EINVAL, ENOENT, ENOMEM, ENOSPC, ENOTTY, EOVERFLOW, errnoName, isError } from './errno.js'
// Every contract of the strategies layer (the cleanup queue's two come along; a strategy does
// not supply one), so the list of names is kept once, in strategies/types.ts.
export type * from './strategies/types.js'
export { NEUTRAL_POLICY, NO_LIMITS, NO_QUIRKS } from './strategies/types.js'
export { OFFSET_SPACE_PAGES, PAGE_BYTES, PAGE_SHIFT, UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from './abi.js'
export type { CostCounters } from './structures/types.js'
export { InvariantError, newCostCounters } from './structures/types.js'
