// The public entry, `import { … } from 'gntbench'`: exactly what a strategy module written outside
// this repository needs (examples/btree-strategy.ts, `gntbench check|run|replay --strategy
// ./mine.js`). Re-exports only; everything else in src/ is internal and may change.
//
//   the module interface   StrategyEntry (export it as `strategy`) or StrategyFactory (as
//                          `createStrategy`), the Strategy it returns and its parts;
//   the device's vocabulary page and notify constants, the offset space, errno values;
//   helpers                the neutral policy, no limits, no quirks, fresh cost counters, and the
//                          InvariantError that `check()` throws.

export { EAGAIN, EBUSY, EFAULT, EINVAL, ENOENT, ENOMEM, ENOSPC, ENOTTY, EOVERFLOW, errnoName, isError } from './errno.js'
export { NEUTRAL_POLICY, NO_LIMITS } from './strategies/presets.js'
export type {
  AllocatorStats,
  CleanupTrigger,
  DeviceLimits,
  DevicePolicy,
  Gmap,
  GmapStore,
  Gref,
  GrefStore,
  OffsetAllocator,
  Quirks,
  Strategy,
  StrategyEntry,
  StrategyFactory,
  StrategyKind,
  StrategyOptions,
  UnmapNotify,
} from './strategies/types.js'
export { NO_QUIRKS } from './strategies/types.js'
export { OFFSET_SPACE_PAGES, PAGE_BYTES, PAGE_SHIFT, UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from './abi.js'
export type { CostCounters } from './structures/types.js'
export { InvariantError, newCostCounters } from './structures/types.js'
