// ministat's own arithmetic for one dataset, operation for operation, so that compat mode prints
// the same last digit (and the same "-nan") as Debian's ministat 20150715:
// * points are summed in input order into running sums Σy and Σy² (sum first for Σy, the new
//   square first for Σy²: the operand order its compiler chose, visible only in which NaN wins);
// * Avg = Σy/n; Var = (Σy² − Σy·Σy/n)/(n − 1), which can cancel to a small negative number, and
//   then Stddev = √Var is "-nan" (three 0.1s do it); Stddev = √Var;
// * the points are sorted with glibc's qsort, a top-down merge sort (left half ⌊n/2⌋, ties taken
//   from the left), whose result only matters when NaNs make the comparison inconsistent;
// * Min = first, Max = last, Median = points[⌊n/2⌋]: the upper middle element for even n.

import { add, div, mul, signed, sqrt, sub, type SignedDouble } from './x86-nan.js'

export interface MinistatVitals {
  n: number
  /** Sorted as glibc's qsort leaves them. */
  points: readonly SignedDouble[]
  min: SignedDouble
  max: SignedDouble
  median: SignedDouble
  mean: SignedDouble
  variance: SignedDouble
  stddev: SignedDouble
}

/** ministat's comparison: −1, 1, or 0 for equal *and* for anything involving a NaN. */
function compare(a: SignedDouble, b: SignedDouble): number {
  if (a.value < b.value) return -1
  if (a.value > b.value) return 1
  return 0
}

/** glibc msort: stable top-down merge sort, left run ⌊n/2⌋ long, ties from the left. */
export function glibcMergeSort(items: readonly SignedDouble[]): SignedDouble[] {
  if (items.length <= 1) return items.slice()
  const half = Math.floor(items.length / 2)
  const left = glibcMergeSort(items.slice(0, half))
  const right = glibcMergeSort(items.slice(half))
  const out: SignedDouble[] = []
  let i = 0
  let j = 0
  while (i < left.length && j < right.length) {
    const l = left[i] as SignedDouble
    const r = right[j] as SignedDouble
    if (compare(l, r) <= 0) {
      out.push(l)
      i++
    } else {
      out.push(r)
      j++
    }
  }
  while (i < left.length) out.push(left[i++] as SignedDouble)
  while (j < right.length) out.push(right[j++] as SignedDouble)
  return out
}

const NAN = signed(Number.NaN)

/**
 * @param negativeNaN per value, true when it was read as "-nan" (a JS number cannot say so).
 */
export function ministatVitals(values: readonly number[], negativeNaN?: readonly boolean[]): MinistatVitals {
  const read = values.map((value, i) => signed(value, negativeNaN?.[i] === true))
  let sum = signed(0)
  let sumOfSquares = signed(0)
  for (const y of read) {
    sum = add(sum, y)
    sumOfSquares = add(mul(y, y), sumOfSquares)
  }
  const n = signed(read.length)
  const mean = div(sum, n)
  const variance = div(sub(sumOfSquares, div(mul(sum, sum), n)), signed(read.length - 1))
  const points = glibcMergeSort(read)
  return {
    n: read.length,
    points,
    min: points[0] ?? NAN,
    max: points[points.length - 1] ?? NAN,
    median: points[Math.floor(points.length / 2)] ?? NAN,
    mean,
    variance,
    stddev: sqrt(variance),
  }
}
