// The media pipeline end to end, as an author runs it: `hocso build` on a project whose lesson plays an audio clip and
// a video and is narrated by text-to-speech; the web page, a SCORM package, the audio and video bundles; a warm
// rebuild that encodes nothing; broken media that stops the build with nothing written; `hocso doctor`.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeFile, requireTool, runTool } from '../../src/media/tools.js';
import { parseXml } from '../../src/xml/xsd.js';
import { hocso, readTemplateLesson, TEMPLATE_LESSON, tempDir, templateProject, treeHashes } from '../helpers/project.js';
import { readZip } from '../../src/verify/zip-reader.js';

const COURSE = 'content/courses/khoa-hoc-dau-tien';
const MEDIA = `${COURSE}/media`;

const CAPTIONS = 'WEBVTT\r\n\r\n00:00.000 --> 00:02.000\r\nXin chào.\r\n';

async function makeMedia(dir: string): Promise<void> {
  mkdirSync(path.join(dir, MEDIA), { recursive: true });
  const ffmpeg = requireTool('ffmpeg');
  await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=3:sample_rate=44100,volume=-25dB', '-ac', '2', path.join(dir, MEDIA, 'loi-khuyen.wav')]);
  await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-shortest', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', path.join(dir, MEDIA, 'huong-dan.mp4')]);
  writeFileSync(path.join(dir, MEDIA, 'loi-khuyen.vtt'), CAPTIONS);
  writeFileSync(path.join(dir, MEDIA, 'huong-dan.vtt'), CAPTIONS);
}

const MEDIA_MARKDOWN = `
::audio{src="../media/loi-khuyen.wav" captions="../media/loi-khuyen.vtt" title="Lời khuyên"}

::video{src="../media/huong-dan.mp4" captions="../media/huong-dan.vtt" title="Hướng dẫn"}
`;

function mediaProject(extraConfig = ''): string {
  const dir = templateProject({ [TEMPLATE_LESSON]: `${readTemplateLesson().trimEnd()}\n${MEDIA_MARKDOWN}` });
  const course = path.join(dir, COURSE, 'course.yaml');
  writeFileSync(course, readFileSync(course, 'utf8').replace('frameworks: [tt02]', 'frameworks: [tt02]\nnarration: true'));
  if (extraConfig) writeFileSync(path.join(dir, 'hocso.config.yaml'), `${readFileSync(path.join(dir, 'hocso.config.yaml'), 'utf8').trimEnd()}\n${extraConfig}\n`);
  return dir;
}

function listFiles(dir: string): string[] {
  return Object.keys(treeHashes(dir));
}

describe('hocso build with audio, video and narration', () => {
  let dir: string;
  let cache: string;
  let first: ReturnType<typeof hocso>;
  beforeAll(async () => {
    dir = mediaProject('publicUrl: https://hoc.example.vn/out');
    await makeMedia(dir);
    cache = tempDir('hocso-cache-');
    first = hocso(['build', '--target', 'web', '--target', 'scorm2004', '--target', 'audio', '--target', 'video'], dir, { HOCSO_CACHE_DIR: cache, HOCSO_TIMING: '1' });
  }, 240_000);

  it('builds every target and says what it encoded', () => {
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/audio: \d+ clips, [1-9]\d* encoded/);
    expect(first.stderr).toMatch(/speech: 1 lessons, [1-9]\d* synthesized, 0 from cache/);
    expect(first.stderr).toMatch(/slide videos: 1 rendered/);
  });

  it('the lesson page plays the optimized clip, the video ladder with a poster, and the narration with chapters', () => {
    const bundle = path.join(dir, 'out/web/khoa-hoc-dau-tien/vi');
    const page = readFileSync(path.join(bundle, 'lessons/bai-dau-tien.html'), 'utf8');
    const files = listFiles(bundle);
    // the clip: Opus then MP3, never the 500 KB WAV the author dropped in
    expect(page).toMatch(/<audio controls preload="none"><source src="\.\.\/files\/media\/loi-khuyen\.[0-9a-f]{8}\.opus" type="audio\/ogg; codecs=opus"><source src="\.\.\/files\/media\/loi-khuyen\.[0-9a-f]{8}\.mp3" type="audio\/mpeg">/);
    expect(files).not.toContain('files/media/loi-khuyen.wav');
    // the video: 360p only (the source is 360p), its poster, captions as clean UTF-8 with LF
    expect(page).toMatch(/<video controls preload="none" poster="\.\.\/files\/media\/huong-dan-poster\.[0-9a-f]{8}\.jpg" width="640" height="360"><source src="\.\.\/files\/media\/huong-dan-360p\.[0-9a-f]{8}\.mp4" type="video\/mp4">/);
    expect(files).not.toContain('files/media/huong-dan.mp4');
    expect(readFileSync(path.join(bundle, 'files/media/huong-dan.vtt'), 'utf8')).toBe('WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào.\n');
    // the narration: a player with Opus, MP3 and the spoken words as captions, and a chapter per heading
    const narration = /<section class="narration"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(narration).toMatch(/<source src="\.\.\/files\/narration\/bai-dau-tien\.vi\.[0-9a-f]{8}\.opus"/);
    expect(narration).toMatch(/<track kind="captions" src="\.\.\/files\/narration\/bai-dau-tien\.vi\.[0-9a-f]{8}\.vtt" srclang="vi"/);
    const chapters = [...narration.matchAll(/<button type="button" data-seek="([\d.]+)">([^<]+)<\/button>/g)].map((m) => [Number(m[1]), m[2]]);
    expect(chapters.map((c) => c[1])).toEqual(['Bài học đầu tiên', 'Các bước', 'Câu hỏi']);
    expect(chapters.map((c) => c[0])).toEqual([...chapters.map((c) => c[0])].sort((a, b) => Number(a) - Number(b)));
    expect(chapters[0]![0]).toBe(0);
  });

  it('the narration is normalized speech with the lesson as chapters, and its captions are the words spoken', async () => {
    const folder = path.join(dir, 'out/web/khoa-hoc-dau-tien/vi/files/narration');
    const mp3 = readdirSync(folder).find((f) => f.endsWith('.mp3'))!;
    const probed = await probeFile(path.join(folder, mp3));
    expect(probed.streams.map((s) => [s.codec_name, s.channels])).toEqual([['mp3', 1]]);
    expect(probed.format.tags?.title).toBe('Bài học đầu tiên');
    expect(probed.format.tags?.album).toBe('Khóa học đầu tiên');
    expect(probed.chapters.map((c) => c.tags?.title)).toEqual(['Bài học đầu tiên', 'Các bước', 'Câu hỏi']);
    const vtt = readFileSync(path.join(folder, readdirSync(folder).find((f) => f.endsWith('.vtt'))!), 'utf8');
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt).toContain('Mở tệp bài học này bằng trình soạn thảo văn bản.');
    expect(vtt).toContain('Lệnh nào tạo ra trang web của khóa học?');
    // the quiz is read as a question with its options, never with the answer's feedback
    expect(vtt).not.toContain('Lệnh này tạo thư mục');
  });

  it('the SCORM package ships the same files and lists them for the lesson, and verifies', async () => {
    const zip = path.join(dir, 'out/scorm2004/khoa-hoc-dau-tien.vi.scorm2004.zip');
    const entries = (await readZip(zip)).files;
    const names = [...entries.keys()];
    expect(names.some((n) => /^files\/narration\/bai-dau-tien\.vi\.[0-9a-f]{8}\.opus$/.test(n))).toBe(true);
    expect(names.some((n) => /^files\/media\/huong-dan-360p\.[0-9a-f]{8}\.mp4$/.test(n))).toBe(true);
    const manifest = Buffer.from(entries.get('imsmanifest.xml')!).toString('utf8');
    expect(manifest).toMatch(/<file href="files\/narration\/bai-dau-tien\.vi\.[0-9a-f]{8}\.mp3"\/>/);
    expect(manifest).toMatch(/<file href="files\/media\/huong-dan-poster\.[0-9a-f]{8}\.jpg"\/>/);
    expect(hocso(['verify', zip], dir).code).toBe(0);
  });

  it('--target audio: numbered tracks with tags and chapters, a playlist, transcripts and a podcast feed', async () => {
    const bundle = path.join(dir, 'out/audio/khoa-hoc-dau-tien/vi');
    expect(listFiles(bundle).sort()).toEqual(['01-bai-dau-tien.chapters.json', '01-bai-dau-tien.mp3', 'feed.xml', 'playlist.m3u', 'transcripts/01-bai-dau-tien.txt', 'transcripts/01-bai-dau-tien.vtt']);
    const probed = await probeFile(path.join(bundle, '01-bai-dau-tien.mp3'));
    expect(probed.format.tags?.track).toBe('1/1');
    expect(probed.chapters.length).toBe(3);
    const duration = Number(probed.format.duration);
    const playlist = readFileSync(path.join(bundle, 'playlist.m3u'), 'utf8');
    expect(playlist).toBe(`#EXTM3U\n#EXTENC:UTF-8\n#PLAYLIST:Khóa học đầu tiên\n#EXTINF:${Math.round(duration)},Khóa học đầu tiên - Bài học đầu tiên\n01-bai-dau-tien.mp3\n`);
    const transcript = readFileSync(path.join(bundle, 'transcripts/01-bai-dau-tien.txt'), 'utf8');
    expect(transcript.startsWith('[0:00] Bài học đầu tiên\n')).toBe(true);
    expect(transcript).toMatch(/\n\[\d:\d\d\] Các bước\n/);
    const chapters = JSON.parse(readFileSync(path.join(bundle, '01-bai-dau-tien.chapters.json'), 'utf8')) as { chapters: { startTime: number; title: string }[] };
    expect(chapters.chapters.map((c) => c.title)).toEqual(['Bài học đầu tiên', 'Các bước', 'Câu hỏi']);
    const feed = readFileSync(path.join(bundle, 'feed.xml'), 'utf8');
    const parsed = parseXml(feed, 'feed.xml');
    expect(parsed.problems).toBeUndefined();
    parsed.doc?.dispose();
    expect(feed).toContain(`<enclosure url="https://hoc.example.vn/out/audio/khoa-hoc-dau-tien/vi/01-bai-dau-tien.mp3" length="${readFileSync(path.join(bundle, '01-bai-dau-tien.mp3')).length}" type="audio/mpeg"/>`);
    expect(feed).toContain('<language>vi</language>');
    expect(feed).toMatch(/<itunes:duration>\d+<\/itunes:duration>/);
  });

  it('--target video: a narrated slide video with captions, and the lesson\'s own video', async () => {
    const bundle = path.join(dir, 'out/video/khoa-hoc-dau-tien/vi');
    const files = listFiles(bundle);
    expect(files).toContain('01-bai-dau-tien.mp4');
    expect(files).toContain('01-bai-dau-tien.vi.vtt');
    expect(files.some((f) => /^01-bai-dau-tien\/huong-dan-360p\.[0-9a-f]{8}\.mp4$/.test(f))).toBe(true);
    const probed = await probeFile(path.join(bundle, '01-bai-dau-tien.mp4'));
    expect(probed.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac', 'mov_text']);
    const narration = await probeFile(path.join(dir, 'out/audio/khoa-hoc-dau-tien/vi/01-bai-dau-tien.mp3'));
    expect(Math.abs(Number(probed.format.duration) - Number(narration.format.duration))).toBeLessThan(0.5);
  });

  it('a rebuild with nothing changed encodes nothing and writes the same bytes', () => {
    const before = treeHashes(path.join(dir, 'out'));
    // --no-cache: the build cache would answer every unit without reaching the media cache this test is about.
    const again = hocso(['build', '--no-cache', '--target', 'web', '--target', 'scorm2004', '--target', 'audio', '--target', 'video'], dir, { HOCSO_CACHE_DIR: cache, HOCSO_TIMING: '1' });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/media: \d+ images, 0 encoded/);
    expect(again.stderr).toMatch(/audio: \d+ clips, 0 encoded, [1-9]\d* from cache; video: 1 videos, 0 encoded, 1 from cache; slide videos: 0 rendered, 1 from cache/);
    expect(again.stderr).toMatch(/speech: 1 lessons, 0 synthesized, 1 from cache/);
    expect(treeHashes(path.join(dir, 'out'))).toEqual(before);
  });
});

describe('broken media stops the build with nothing written', () => {
  it.each([
    ['a truncated MP4', 'huong-dan.mp4', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length * 0.3)), /bai-dau-tien\.md:\d+:\d+ +error +`media\/huong-dan\.mp4`.*media\/unreadable-video/s],
    ['a text file named .wav', 'loi-khuyen.wav', () => Buffer.from('this is not audio\n'), /bai-dau-tien\.md:\d+:\d+ +error .*loi-khuyen\.wav.*media\/unreadable-audio/s],
  ])('%s', async (_name, file, damage, expected) => {
    const dir = mediaProject();
    await makeMedia(dir);
    const target = path.join(dir, MEDIA, file);
    writeFileSync(target, damage(readFileSync(target)));
    const result = hocso(['build'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toContain('Nothing was written.');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  }, 120_000);

  it('captions that are not WebVTT are reported at their own line', async () => {
    const dir = mediaProject();
    await makeMedia(dir);
    writeFileSync(path.join(dir, MEDIA, 'huong-dan.vtt'), 'WEBVTT\n\n00:00.000 --> 00:0x.000\nXin chào.\n');
    const result = hocso(['build'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/media\/huong-dan\.vtt:3:\d+ +error/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  }, 120_000);
});

describe('hocso validate checks captions without ffmpeg', () => {
  it('reports an SRT file passed off as WebVTT at its line, for an audio clip as for a video', () => {
    const dir = mediaProject();
    mkdirSync(path.join(dir, MEDIA), { recursive: true });
    writeFileSync(path.join(dir, MEDIA, 'loi-khuyen.wav'), 'not checked by validate');
    writeFileSync(path.join(dir, MEDIA, 'huong-dan.mp4'), 'not checked by validate');
    writeFileSync(path.join(dir, MEDIA, 'loi-khuyen.vtt'), 'WEBVTT\n\n1\n00:00:00,000 --> 00:00:02,000\nXin chào.\n');
    writeFileSync(path.join(dir, MEDIA, 'huong-dan.vtt'), CAPTIONS);
    const result = hocso(['validate'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/media\/loi-khuyen\.vtt:4:\d+ +error .*media\/bad-captions/s);
    expect(result.stderr).not.toContain('huong-dan.vtt');
  });
});

describe('narration in languages without a voice', () => {
  it('is reported once per language, and a configured voice or `none` settles it', () => {
    const dir = mediaProject('languages: [vi, hmn]');
    const variant = path.join(dir, TEMPLATE_LESSON.replace(/\.md$/, '.hmn.md'));
    writeFileSync(variant, readTemplateLesson().replace('title: Bài học đầu tiên', 'title: Thawj zaj lus qhia').replace(MEDIA_MARKDOWN, ''));
    // no media files in this project: drop the clip and video lines from the source too
    const lesson = path.join(dir, TEMPLATE_LESSON);
    writeFileSync(lesson, readFileSync(lesson, 'utf8').replace(MEDIA_MARKDOWN, '\n'));
    const built = hocso(['build'], dir);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/course\.yaml:1:1 +warning +no voice for hmn \(.*\): 1 lesson in it is not narrated \(bai-dau-tien\) +speech\/no-voice/);
    const hmnPage = readFileSync(path.join(dir, 'out/web/khoa-hoc-dau-tien/hmn/lessons/bai-dau-tien.html'), 'utf8');
    expect(hmnPage).not.toContain('class="narration"');
    expect(readFileSync(path.join(dir, 'out/web/khoa-hoc-dau-tien/vi/lessons/bai-dau-tien.html'), 'utf8')).toContain('class="narration"');

    writeFileSync(path.join(dir, 'hocso.config.yaml'), `${readFileSync(path.join(dir, 'hocso.config.yaml'), 'utf8')}narration:\n  voices: { hmn: none }\n`);
    const silenced = hocso(['build'], dir);
    expect(silenced.code).toBe(0);
    expect(silenced.stderr).not.toContain('speech/no-voice');
  }, 180_000);
});

describe('hocso doctor', () => {
  it('names the ffmpeg and ffprobe used and where they came from, what they provide, and the voices', () => {
    const dir = mediaProject('languages: [vi, en, hmn]');
    const result = hocso(['doctor'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ ffmpeg +\S+\n/);
    expect(result.stdout).toMatch(/used: (@ffmpeg-installer\/ffmpeg|ffmpeg-static|HOCSO_FFMPEG|FFMPEG_PATH|PATH) \(ffmpeg version/);
    expect(result.stdout).toMatch(/ffmpeg-static(: \S+)? \(/);
    expect(result.stdout).toMatch(/✓ libopus/);
    expect(result.stdout).toMatch(/✓ loudnorm/);
    expect(result.stdout).toMatch(/✓ ffprobe +\S+\n/);
    expect(result.stdout).toMatch(/the project's languages with a voice: vi \(vi\), en \(en-us\)/);
    expect(result.stdout).toMatch(/no voice \(narration only from recordings\): hmn/);
    const json = JSON.parse(hocso(['doctor', '--format', 'json'], dir).stdout) as { checks: { name: string; ok: boolean }[] };
    expect(json.checks.find((c) => c.name === 'ffmpeg')?.ok).toBe(true);
  });

  it('says what was tried, and how to fix it, when the ffmpeg it is pointed at does not run', () => {
    const dir = mediaProject();
    const result = hocso(['doctor'], dir, { HOCSO_FFMPEG: path.join(dir, 'no-such-ffmpeg') });
    // the env var is tried first and skipped, the next candidate is used
    expect(result.stdout).toMatch(/HOCSO_FFMPEG: \S+no-such-ffmpeg \(the file does not exist/);
    expect(result.code).toBe(0);
  });
});
