// The declared system stack: its coverage is Noto Sans's, recomputed here from the font files, and its families are
// hocso.css's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { characterSet } from '../../src/fonts/course-fonts.js';
import { formatRanges, SYSTEM_COVERAGE, SYSTEM_FONT_STACK, SYSTEM_MONO_STACK, SYSTEM_REFERENCE, systemHasGlyph } from '../../src/fonts/system-coverage.js';
import { REPO } from '../helpers/project.js';

const require = createRequire(import.meta.url);

describe('the system font stack hocso relies on', () => {
  it('covers exactly the characters of its reference font (regenerate SYSTEM_COVERAGE from this test when it changes)', () => {
    const codePoints = new Set<number>();
    for (const subset of SYSTEM_REFERENCE.subsets) {
      const file = require.resolve(`${SYSTEM_REFERENCE.package}/files/noto-sans-${subset}-400-normal.woff2`);
      for (const cp of characterSet(readFileSync(file))) codePoints.add(cp);
    }
    expect(formatRanges(codePoints)).toBe(SYSTEM_COVERAGE);
    for (const cp of [0x41, 0x1ec7, 0x20ab, 0x0110]) expect(systemHasGlyph(cp)).toBe(true);
    for (const cp of [0x0e01, 0xaa80, 0x1780, 0x2713]) expect(systemHasGlyph(cp)).toBe(false);
  });

  it('names the same families as hocso.css, which fonts.css repeats after the embedded ones', () => {
    const css = readFileSync(path.join(REPO, 'templates/web/assets/hocso.css'), 'utf8');
    expect(css).toContain(`font-family: ${SYSTEM_FONT_STACK};`);
    expect(css).toContain(`font-family: ${SYSTEM_MONO_STACK};`);
  });
});
