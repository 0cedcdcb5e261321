/** Sort [from, to) ranges and merge those that touch, so they can be deleted back to front. */
export const mergeRanges = (ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> => {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [from, to] of sorted) {
    const last = out[out.length - 1]
    if (last && from <= last[1]) last[1] = Math.max(last[1], to)
    else out.push([from, to])
  }
  return out
}
