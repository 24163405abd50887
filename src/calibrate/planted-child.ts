// Entry of a calibration replicate child process (`gntbench calibrate --isolation process`): the
// runner's one-replicate child, after registering the planted strategy the spec names, if any.

import { serveOneReplicate } from '../runner/replicate-once.js'
import { ensurePlantedRegistered } from './planted-strategy.js'

await serveOneReplicate(async (spec) => {
  ensurePlantedRegistered(spec)
  return spec
})
