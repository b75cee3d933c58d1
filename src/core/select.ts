// The k-th smallest value of a typed array in linear expected time (Hoare's selection with a median-of-three pivot),
// for medians on hot paths where a full sort is the cost.

/** Rearranges `a` in place and returns its k-th smallest value (k from 0); NaN-free input expected. */
export function selectKth(a: Float32Array | Float64Array, k: number): number {
  if (!(k >= 0 && k < a.length)) throw new RangeError(`selectKth: k = ${k} outside 0…${a.length - 1}`);
  let lo = 0,
    hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot keeps sorted and constant runs from going quadratic.
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!,
      y = a[mid]!,
      z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // [lo, j] ≤ pivot ≤ [i, hi], and (j, i) all equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
