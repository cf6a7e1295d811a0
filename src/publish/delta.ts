// delta.json: what changed since the previous release, so an app on a weak connection downloads only that.
import type { ReleaseManifest } from './release.js';

export interface DeltaEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface ReleaseDelta {
  from: string;
  to: string;
  added: DeltaEntry[];
  changed: (DeltaEntry & { previousSha256: string })[];
  removed: string[];
  /** Bytes to download to go from `from` to `to`: the added and changed files. */
  bytes: number;
}

export function deltaBetween(previous: ReleaseManifest, current: ReleaseManifest): ReleaseDelta {
  const before = new Map(previous.files.map((f) => [f.path, f]));
  const now = new Set(current.files.map((f) => f.path));
  const added: DeltaEntry[] = [];
  const changed: ReleaseDelta['changed'] = [];
  for (const file of current.files) {
    const old = before.get(file.path);
    const entry = { path: file.path, sha256: file.sha256, size: file.size };
    if (!old) added.push(entry);
    else if (old.sha256 !== file.sha256) changed.push({ ...entry, previousSha256: old.sha256 });
  }
  const removed = previous.files.filter((f) => !now.has(f.path)).map((f) => f.path);
  const bytes = [...added, ...changed].reduce((n, f) => n + f.size, 0);
  return { from: previous.version, to: current.version, added, changed, removed, bytes };
}
