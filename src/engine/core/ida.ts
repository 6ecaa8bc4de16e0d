/**
 * An ID allocator like lib/idr.c's IDA: ida_alloc_min() returns the lowest free id >= min.
 * Used for PLATFORM_DEVID_AUTO (platform_devid_ida) and data-defined buses' "{name}-{n}" names.
 * Not journaled: only the live run allocates; the timeline never needs it.
 */
export class Ida {
  private used = new Set<number>();
  /** every id below the hint is in use */
  private hint = 0;

  alloc(min = 0): number {
    let n = Math.max(min, min <= this.hint ? this.hint : min);
    while (this.used.has(n)) n++;
    this.used.add(n);
    if (min <= this.hint && n === this.hint) {
      while (this.used.has(this.hint)) this.hint++;
    }
    return n;
  }

  free(n: number): void {
    if (!this.used.delete(n)) return;
    if (n < this.hint) this.hint = n;
  }
}
