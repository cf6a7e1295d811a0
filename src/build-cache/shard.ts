// --shard I/N: a deterministic slice of the build's units (course × language × target), so a CI matrix of N jobs splits
// a national catalog and their outputs together are exactly the unsharded build.
import { UsageError } from '../project/config.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`\`--shard ${text}\` is not a shard`, 'Write --shard I/N with 1 ≤ I ≤ N, e.g. --shard 2/4 for the second of four CI jobs.');
  }
  return { index, count };
}

/**
 * The units of shard I of N: the units in build order, cut into N contiguous runs of nearly equal length, so a shard
 * holds few courses (each compiled once) rather than a little of every course. The same sources give the same slices.
 */
export function shardSlice<T>(units: readonly T[], shard: Shard): T[] {
  const start = Math.floor(((shard.index - 1) * units.length) / shard.count);
  const end = Math.floor((shard.index * units.length) / shard.count);
  return units.slice(start, end);
}
