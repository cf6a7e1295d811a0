import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDirAtomically } from '../../src/output/atomic-dir.js';
import { durationMinutes, fill, uiStrings } from '../../src/render/ui-strings.js';
import { scriptJson } from '../../src/render/templates.js';

describe('atomic folder writes', () => {
  it('replaces the whole folder, leaving no staging folder behind', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'hocso-atomic-'));
    const dir = path.join(parent, 'vi');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'old.html'), 'old');
    await writeDirAtomically(dir, new Map([['index.html', 'mới'], ['lessons/a.html', 'a']]));
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'lessons']);
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe('mới');
    expect(readdirSync(parent)).toEqual(['vi']);
  });

  it('leaves the previous folder intact when writing fails', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'hocso-atomic-'));
    const dir = path.join(parent, 'vi');
    await writeDirAtomically(dir, new Map([['index.html', 'cũ']]));
    await expect(writeDirAtomically(dir, new Map([['index.html', 'mới'], ['../../escape.html', 'x']]))).rejects.toThrow(/outside the output folder/);
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe('cũ');
    expect(readdirSync(parent)).toEqual(['vi']);
    expect(existsSync(path.join(parent, '..', 'escape.html'))).toBe(false);
  });
});

describe('rendering helpers', () => {
  it('reads ISO 8601 durations as minutes', () => {
    expect(durationMinutes('PT20M')).toBe(20);
    expect(durationMinutes('PT1H30M')).toBe(90);
    expect(durationMinutes('P1D')).toBe(1440);
    expect(durationMinutes('PT0M')).toBeUndefined();
    expect(durationMinutes('20 phút')).toBeUndefined();
  });

  it('falls back from a minority language to Vietnamese interface text', () => {
    expect(uiStrings('vi').check).toBe('Kiểm tra');
    expect(uiStrings('en').check).toBe('Check');
    expect(uiStrings('hmn').check).toBe('Kiểm tra');
    expect(fill(uiStrings('vi').score!, { correct: 3, total: 4, percent: 75 })).toBe('Bạn trả lời đúng 3/4 câu (75%).');
  });

  it('embeds JSON that cannot close its <script> element', () => {
    const json = scriptJson({ html: '</script><script>alert(1)</script>' });
    expect(json).not.toContain('</script');
    expect(JSON.parse(json)).toEqual({ html: '</script><script>alert(1)</script>' });
  });
});
