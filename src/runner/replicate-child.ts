// Entry of a replicate child process of `gntbench run --isolation process` (process-host.ts):
// serves one replicate (replicate-once.ts); an outside strategy module named by the spec is
// loaded and registered in this process first, as the worker entry does.

import { resolveStrategySpec } from '../strategies/load-module.js'
import { serveOneReplicate } from './replicate-once.js'

await serveOneReplicate(async (spec) => (await resolveStrategySpec(spec)).name)
