// Linux/FreeBSD errno values used by the model. Operations that can fail in the kernel return a
// number: a non-negative result, or the negated errno (the kernel's own convention), so the hot
// paths allocate nothing and a failure is never an exception.

export const ENOENT = 2
export const EAGAIN = 11
export const ENOMEM = 12
export const EFAULT = 14
export const EBUSY = 16
export const EINVAL = 22
export const ENOTTY = 25
export const ENOSPC = 28
export const EOVERFLOW = 75

const NAMES: Readonly<Record<number, string>> = {
  [ENOENT]: 'ENOENT',
  [EAGAIN]: 'EAGAIN',
  [ENOMEM]: 'ENOMEM',
  [EFAULT]: 'EFAULT',
  [EBUSY]: 'EBUSY',
  [EINVAL]: 'EINVAL',
  [ENOTTY]: 'ENOTTY',
  [ENOSPC]: 'ENOSPC',
  [EOVERFLOW]: 'EOVERFLOW',
}

/** 'ENOSPC' for -28 or 28; 'OK' for a non-negative result. */
export function errnoName(result: number): string {
  if (result >= 0) return 'OK'
  return NAMES[-result] ?? `E${-result}`
}

/** True when `result` is a negated errno. */
export function isError(result: number): boolean {
  return result < 0
}
