import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hocso, readTemplateLesson, TEMPLATE_LESSON, tempDir, templateProject, treeHashes } from '../helpers/project.js';
import { sanitizeSvg } from '../../src/media/svg.js';

const LESSON_DIR = path.dirname(TEMPLATE_LESSON);
const MEDIA = 'content/courses/khoa-hoc-dau-tien/media';

/** The template lesson with extra Markdown appended to its body. */
function lessonWith(markdown: string): string {
  return `${readTemplateLesson().trimEnd()}\n\n${markdown}\n`;
}

async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#3a6ea5' } })
    .composite([{ input: Buffer.from('<svg width="2000" height="1500"><circle cx="1000" cy="750" r="500" fill="#f0c020"/></svg>') }])
    .png()
    .withExif({ IFD0: { Make: 'PhoneCo', Copyright: 'secret' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 1/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '105/1 51/1 0/1' } })
    .toBuffer();
}

async function project(images: Record<string, Buffer | string>, markdown: string, config?: string): Promise<string> {
  const dir = templateProject({ [TEMPLATE_LESSON]: lessonWith(markdown) });
  mkdirSync(path.join(dir, MEDIA), { recursive: true });
  for (const [name, bytes] of Object.entries(images)) writeFileSync(path.join(dir, MEDIA, name), bytes);
  if (config) writeFileSync(path.join(dir, 'hocso.config.yaml'), `${readFileSync(path.join(dir, 'hocso.config.yaml'), 'utf8').trimEnd()}\n${config}\n`);
  return dir;
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

function webBundle(dir: string): string {
  const root = path.join(dir, 'out', 'web');
  const course = readdirSync(root)[0]!;
  const lang = readdirSync(path.join(root, course))[0]!;
  return path.join(root, course, lang);
}

describe('images in the web bundle', () => {
  it('resizes, re-encodes and strips metadata; the page gets <picture> with width and height; builds are identical and the cache is used', async () => {
    expect(path.relative(LESSON_DIR, MEDIA)).toBe('../media');
    const photo = await photoWithGps();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const alpha = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#225522' } }).jpeg().toBuffer();
    const dir = await project({ 'photo.png': photo, 'alpha.png': alpha, 'field.jpg': jpeg }, '![A sunny photo](../media/photo.png "Sun")\n\n![Red glass](../media/alpha.png)\n\n![A field](../media/field.jpg)');
    const cache = tempDir('hocso-cache-');
    const env = { HOCSO_CACHE_DIR: cache, HOCSO_TIMING: '1' };

    const first = hocso(['build', '--target', 'web'], dir, env);
    expect(first.stderr).toMatch(/media: \d+ images, 3 encoded, 0 from cache/);
    expect(first.code).toBe(0);
    const bundle = webBundle(dir);
    const media = readdirSync(path.join(bundle, 'files', 'media')).sort();
    // Under its own name: re-encoded at the largest width, without metadata (SCORM manifests list it).
    expect((await sharp(path.join(bundle, 'files', 'media', 'photo.png')).metadata()).exif).toBeUndefined();
    const photoFiles = media.filter((f) => f.startsWith('photo-'));
    expect(readFileSync(path.join(bundle, 'files', 'media', 'photo.png')).includes(Buffer.from('PhoneCo'))).toBe(false);
    expect(photoFiles.map((f) => f.replace(/\.[0-9a-f]{8}\./, '.'))).toEqual(['photo-480w.avif', 'photo-480w.jpg', 'photo-480w.webp', 'photo-960w.avif', 'photo-960w.jpg', 'photo-960w.webp']);
    for (const file of photoFiles) {
      const meta = await sharp(path.join(bundle, 'files', 'media', file)).metadata();
      expect(meta.format).toBe({ avif: 'heif', webp: 'webp', jpg: 'jpeg' }[file.split('.').pop()!]);
      expect(meta.width).toBe(file.includes('-480w') ? 480 : 960);
      expect(meta.height).toBe(file.includes('-480w') ? 360 : 720);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(readFileSync(path.join(bundle, 'files', 'media', file)).includes(Buffer.from('PhoneCo'))).toBe(false);
    }
    // Transparency keeps a PNG fallback; a small image is never upscaled.
    expect(media.filter((f) => f.startsWith('alpha-') && f !== 'alpha.png').map((f) => f.replace(/\.[0-9a-f]{8}\./, '.'))).toEqual(['alpha-300w.avif', 'alpha-300w.png', 'alpha-300w.webp']);
    expect((await sharp(path.join(bundle, 'files', 'media', media.find((f) => f.startsWith('alpha-') && f.endsWith('.png'))!)).metadata()).hasAlpha).toBe(true);
    expect(media.filter((f) => f.startsWith('field-') && f.endsWith('.jpg'))).toHaveLength(2);

    const html = readFileSync(path.join(bundle, 'lessons', readdirSync(path.join(bundle, 'lessons'))[0]!), 'utf8');
    const picture = /<picture>[\s\S]*?<\/picture>/.exec(html.slice(html.indexOf('photo-')- 200))![0];
    expect(picture).toMatch(/<source type="image\/avif" srcset="\.\.\/files\/media\/photo-480w\.[0-9a-f]{8}\.avif 480w, \.\.\/files\/media\/photo-960w\.[0-9a-f]{8}\.avif 960w"/);
    expect(picture).toMatch(/<source type="image\/webp" srcset="[^"]+webp 480w, [^"]+webp 960w"/);
    expect(picture).toMatch(/<img src="\.\.\/files\/media\/photo\.png" srcset="[^"]+jpg 480w, [^"]+jpg 960w" sizes="[^"]+" width="960" height="720" alt="A sunny photo" loading="lazy" decoding="async">/);
    expect(html).toMatch(/width="300" height="200" alt="Red glass"/);

    const hashes = treeHashes(bundle);
    // --no-cache: the build cache would answer without reaching the media cache this test is about.
    const second = hocso(['build', '--no-cache', '--target', 'web'], dir, env);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/media: \d+ images, 0 encoded, 3 from cache/);
    expect(treeHashes(webBundle(dir))).toEqual(hashes);

    // Without the cache the encoder gives the same bytes (deterministic output).
    const third = hocso(['build', '--target', 'web'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-'), HOCSO_TIMING: '1' });
    expect(third.stderr).toMatch(/3 encoded/);
    expect(treeHashes(webBundle(dir))).toEqual(hashes);
  }, 120_000);

  it('packages carry the variants and pass verification', async () => {
    const dir = await project({ 'photo.jpg': await sharp({ create: { width: 1000, height: 600, channels: 3, background: '#808080' } }).jpeg().toBuffer() }, '![Grey](../media/photo.jpg)');
    const result = hocso(['build', '--target', 'scorm12', '--target', 'cmi5'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    // Known gap: SCORM manifests list lesson.files, not the variants (package/unlisted-file warnings, not errors).
    expect(result.stdout + result.stderr).not.toMatch(/:\d+:\d+\s+error\s/);
    expect(result.code).toBe(0);
    for (const target of ['scorm12', 'cmi5']) {
      const folder = path.join(dir, 'out', target);
      for (const zip of readdirSync(folder)) {
        const verify = hocso(['verify', path.join(folder, zip)], dir);
        expect(verify.code).toBe(0);
        // every image variant is listed by the SCO that uses it (cmi5 finds them by following the page's links)
        expect(verify.stderr).not.toMatch(/unlisted-file|unused-file/);
      }
    }
  }, 120_000);

  it.each([
    ['a PNG that is really text', 'notes.png', Buffer.from('this is not a picture\n'), /unsupported image format/],
    ['a truncated JPEG', 'cut.jpg', 'truncated', /premature end|truncated|corrupt/i],
  ])('%s: a diagnostic at the lesson line naming the file, exit 1, nothing written', async (_name, file, bytes, reason) => {
    const data = bytes === 'truncated' ? (await sharp({ create: { width: 800, height: 600, channels: 3, background: '#123456' } }).composite([{ input: Buffer.from('<svg width="800" height="600"><text x="10" y="300" font-size="90">noise</text></svg>') }]).jpeg().toBuffer()).subarray(0, 1200) : (bytes as Buffer);
    const markdown = `Text.\n\n![Broken](../media/${file})`;
    const dir = await project({ [file]: data }, markdown);
    const result = hocso(['build', '--target', 'web'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    expect(result.code).toBe(1);
    const line = lineOf(lessonWith(markdown), `![Broken]`);
    expect(result.stdout + result.stderr).toContain(`${TEMPLATE_LESSON}:${line}:`);
    expect(result.stdout + result.stderr).toMatch(new RegExp(`media/unreadable-image|${file}`));
    expect(result.stdout + result.stderr).toContain(`media/${file}`);
    expect(result.stdout + result.stderr).toMatch(reason);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  }, 60_000);

  it('sanitizes SVG: no script, no on… handlers, no foreignObject or external links; keeps the size', async () => {
    const evil = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 300" onload="alert(1)"><script>alert(2)</script><a xlink:href="javascript:alert(3)"><rect width="10" height="10" onclick="x()"/></a><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject><image href="https://evil.example/t.png"/><use href="#r"/><rect id="r" fill="url(#g)" width="5" height="5"/></svg>';
    const clean = sanitizeSvg(Buffer.from(evil));
    expect(clean.svg).not.toMatch(/script|onload|onclick|javascript:|foreignObject|evil\.example/i);
    expect(clean.svg).toContain('href="#r"');
    expect(clean.svg).toContain('fill="url(#g)"');
    expect({ width: clean.width, height: clean.height }).toEqual({ width: 400, height: 300 });

    const dir = await project({ 'evil.svg': evil }, '![Chart](../media/evil.svg)');
    const result = hocso(['build', '--target', 'web'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toContain('media/svg-sanitized');
    const shipped = readFileSync(path.join(webBundle(dir), 'files', 'media', 'evil.svg'), 'utf8');
    expect(shipped).not.toMatch(/<script|onload|foreignObject|javascript:/i);
    const html = readFileSync(path.join(webBundle(dir), 'lessons', readdirSync(path.join(webBundle(dir), 'lessons'))[0]!), 'utf8');
    expect(html).toMatch(/evil\.svg" width="400" height="300" alt="Chart"/);
  }, 60_000);

  it('a lesson over media.maxLessonBytes is an error naming the heaviest file; nothing is written', async () => {
    const noise = await sharp(Buffer.from(Array.from({ length: 1200 * 900 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 1200, height: 900, channels: 3 } }).png().toBuffer();
    const dir = await project({ 'noise.png': noise }, '![Noise](../media/noise.png)', 'media:\n  maxLessonBytes: 50000\n  maxPackageBytes: 100000000');
    const result = hocso(['build', '--target', 'web'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    expect(result.code).toBe(1);
    const out = result.stdout + result.stderr;
    expect(out).toContain('media/over-budget');
    expect(out).toMatch(/over media\.maxLessonBytes \(48\.8 kB\); heaviest: files\/media\/noise-960w\.[0-9a-f]{8}\.(png|jpg|webp|avif) \(/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  }, 60_000);
});
