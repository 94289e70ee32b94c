/**
 * Writes split into syncs that each stay well under Excel on the web's 5 MB request limit
 * (learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization:
 * "Excel on the web has a payload size limit for requests and responses of 5 MB"). A write's size
 * is estimated as what it sends: its arguments as JSON (a grid of values or formulas, a name with
 * its formula and comment, a note's text), plus a fixed allowance for the call itself.
 */

/** The most one write sync is planned to carry: under a third of the limit, for what the estimate misses. */
export const BYTES_PER_WRITE_SYNC = 1_500_000;

/**
 * A write's own framing in the request, in bytes: Office.js sends each call as an action
 * (`{"Id":14,"ActionType":4,"Name":"values","ObjectPathId":12,"ArgumentInfo":{…}}`, about 80
 * bytes) and each object a call returns as an object path (about 90 more), and a write comes with
 * the call that finds its target (getRange before `values=`, `add` before `visible=`).
 */
const BYTES_PER_CALL = 250;

/** The estimated request bytes of one write call with these arguments. */
export function writeBytes(...args: readonly unknown[]): number {
  return BYTES_PER_CALL + (JSON.stringify(args)?.length ?? 0);
}

/**
 * Splits `items` in order into consecutive groups whose estimated bytes stay under
 * BYTES_PER_WRITE_SYNC (an item larger than that alone is a group of its own).
 */
export function batchesOf<T>(
  items: readonly T[],
  bytes: (item: T, index: number) => number,
  limit = BYTES_PER_WRITE_SYNC
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  items.forEach((item, index) => {
    const b = bytes(item, index);
    if (current.length > 0 && size + b > limit) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += b;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The percentage of `done` out of `total`, rounded down (100 only when all are done). */
export function percent(done: number, total: number): number {
  return total <= 0 ? 100 : Math.floor((100 * done) / total);
}
