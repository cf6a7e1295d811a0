// @vitest-environment node
// `hocso build --target epub` as a user runs it on the sample course (10 languages): every book passes the real
// epubcheck with no error and no warning, carries accessibility metadata, lists its lessons in course order, syncs
// its narration with existing elements, has a right answer key and is byte for byte reproducible.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from '../../src/media/tools.js';
import { walk, type XNode } from '../../src/verify/xml-tree.js';
import { hocso, REPO, sampleProject, tempDir } from '../helpers/project.js';
import { byId, clockSeconds, deepText, elements, epubcheck, epubcheckCommand, hasClass, inBatches, NS, packageMetadata, readBook, vttCues, words, type Book, type EpubcheckMessage } from './helpers.js';

const COURSE = 'ky-nang-so-thiet-yeu';
const COURSE_DIR = path.join(REPO, 'content', 'courses', COURSE);
const LANGUAGES = (parseYaml(readFileSync(path.join(REPO, 'hocso.config.yaml'), 'utf8')) as { languages: (string | { tag: string })[] }).languages.map((l) => (typeof l === 'string' ? l : l.tag));
const MODULES = (parseYaml(readFileSync(path.join(COURSE_DIR, 'course.yaml'), 'utf8')) as { modules: { id: string; lessons: string[] }[] }).modules;
const LESSON_IDS = MODULES.flatMap((m) => m.lessons.map((l) => path.basename(l, '.md')));
/** epubcheck INFO messages that say nothing about the book (none is expected today; add an ID here with a reason). */
const HARMLESS_INFO = new Set<string>([]);

let project: string;
let build: ReturnType<typeof hocso>;
const books = new Map<string, Book>();
const bookFile = (lang: string, out = 'out'): string => path.join(project, out, 'epub', `${COURSE}.${lang}.epub`);

beforeAll(async () => {
  epubcheckCommand(); // fails here, with the apt-get line, when epubcheck is missing
  project = sampleProject();
  // The audio target beside it: its transcripts are the narration's sentences with their times (the SMIL check).
  build = hocso(['build', '--target', 'epub', '--target', 'audio'], project);
  if (build.code !== 0) throw new Error(build.stderr);
  for (const lang of LANGUAGES) books.set(lang, await readBook(bookFile(lang)));
}, 180_000);

describe('hocso build --target epub on the sample course', () => {
  it('writes one book per language, OUT/epub/COURSE.LANG.epub', () => {
    expect(readdirSync(path.join(project, 'out', 'epub')).sort()).toEqual(LANGUAGES.map((l) => `${COURSE}.${l}.epub`).sort());
    for (const lang of LANGUAGES) expect(build.stderr).toContain(`out/epub/${COURSE}.${lang}.epub`);
  });

  it('passes epubcheck with no fatal error, error or warning, every language (two checks at a time)', async () => {
    const started = performance.now();
    const results = await inBatches(LANGUAGES, 2, (lang) => epubcheck(bookFile(lang)));
    const seconds = (performance.now() - started) / 1000;
    if (process.env.HOCSO_TIMING) console.log(`epubcheck: ${LANGUAGES.length} books in ${seconds.toFixed(1)} s`);
    const problems = (m: EpubcheckMessage): boolean => !(m.severity === 'USAGE' || m.severity === 'SUPPRESSED' || (m.severity === 'INFO' && HARMLESS_INFO.has(m.ID)));
    results.forEach((result, i) => {
      const bad = result.messages.filter(problems).map((m) => `${m.severity} ${m.ID} ${m.locations[0]?.path}:${m.locations[0]?.line}: ${m.message}`);
      expect({ lang: LANGUAGES[i], bad }).toEqual({ lang: LANGUAGES[i], bad: [] });
      expect(result.code).toBe(0);
    });
  }, 300_000);

  it('starts with an uncompressed mimetype entry, then META-INF/container.xml pointing at the package document', () => {
    const bytes = readFileSync(bookFile('vi'));
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(bytes.readUInt16LE(8)).toBe(0); // stored
    const nameLength = bytes.readUInt16LE(26);
    expect(bytes.readUInt16LE(28)).toBe(0); // no extra field
    expect(bytes.subarray(30, 30 + nameLength).toString()).toBe('mimetype');
    expect(bytes.subarray(30 + nameLength, 30 + nameLength + 20).toString()).toBe('application/epub+zip');
    const container = books.get('vi')!.xml('META-INF/container.xml');
    const rootfile = [...walk(container)].map((w) => w.node).find((n) => n.name === 'rootfile')!;
    expect(rootfile.attrs.get('full-path')).toBe('EPUB/package.opf');
  });

  it('has the package metadata: title, language, stable identifier, modified date, subjects, accessibility', () => {
    const ids = new Set<string>();
    for (const lang of LANGUAGES) {
      const meta = packageMetadata(books.get(lang)!.xml('EPUB/package.opf'));
      const values = (name: string): string[] => meta.filter((m) => m.name === name).map((m) => m.value);
      expect(values('dc:language')).toEqual([lang]);
      expect(values('dc:title')[0]).toBeTruthy();
      expect(values('dc:publisher')).toEqual(['hocso']);
      const [identifier] = values('dc:identifier');
      expect(identifier).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(identifier!);
      expect(values('dcterms:modified')).toHaveLength(1);
      expect(values('dcterms:modified')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(values('schema:accessMode')).toEqual(expect.arrayContaining(['textual', 'visual']));
      expect(values('schema:accessModeSufficient')).toContain('textual');
      expect(values('schema:accessibilityFeature')).toEqual(expect.arrayContaining(['structuralNavigation', 'tableOfContents', 'readingOrder', 'alternativeText', 'displayTransformability']));
      expect(values('schema:accessibilityHazard')).toEqual(['none']);
      const summary = meta.find((m) => m.name === 'schema:accessibilitySummary')!;
      expect(summary.value.length).toBeGreaterThan(80);
      // in the book's language when it is Vietnamese or English, else in English (marked as such)
      if (lang === 'vi') expect(summary.value).toMatch(/^Sách có mục lục/);
      else expect(summary.value).toMatch(/^The book has a table of contents/);
      expect(summary.attrs.get('{http://www.w3.org/XML/1998/namespace}lang')).toBe(lang === 'vi' || lang === 'en' ? undefined : 'en');
      // no conformance claim hocso cannot back (README "EPUB")
      expect(values('dcterms:conformsTo')).toEqual([]);
    }
    expect(ids.size).toBe(LANGUAGES.length);
    const vi = packageMetadata(books.get('vi')!.xml('EPUB/package.opf'));
    const subjects = vi.filter((m) => m.name === 'dc:subject').map((m) => m.value);
    expect(subjects).toContain('tt02:4.2 Bảo vệ dữ liệu cá nhân và quyền riêng tư');
    expect(new Set(subjects).size).toBe(subjects.length);
    // narrated languages: auditory, synchronized audio, media overlay durations that add up
    for (const lang of ['vi', 'en']) {
      const meta = packageMetadata(books.get(lang)!.xml('EPUB/package.opf'));
      expect(meta.filter((m) => m.name === 'schema:accessMode').map((m) => m.value)).toContain('auditory');
      expect(meta.filter((m) => m.name === 'schema:accessibilityFeature').map((m) => m.value)).toContain('synchronizedAudioText');
      expect(meta.find((m) => m.name === 'media:active-class')?.value).toBe('hocso-narrating');
      const durations = meta.filter((m) => m.name === 'media:duration');
      const perItem = durations.filter((d) => d.attrs.has('refines')).map((d) => clockSeconds(d.value));
      const total = durations.filter((d) => !d.attrs.has('refines')).map((d) => clockSeconds(d.value));
      expect(perItem).toHaveLength(6);
      expect(total).toHaveLength(1);
      expect(total[0]).toBeCloseTo(perItem.reduce((a, b) => a + b, 0), 3);
    }
  });

  it('lists the modules and their lessons in course order in the navigation document, with landmarks', () => {
    for (const lang of LANGUAGES) {
      const nav = books.get(lang)!.xml('EPUB/nav.xhtml');
      const navs = elements(nav, 'nav');
      const toc = navs.find((n) => n.attrs.get(`{${NS.epub}}type`) === 'toc')!;
      const links = elements(toc, 'a').map((a) => a.attrs.get('href'));
      expect(links.filter((h) => h?.startsWith('lessons/'))).toEqual(LESSON_IDS.map((id) => `lessons/${id}.xhtml`));
      expect(links.at(-1)).toBe('answers.xhtml');
      const modules = toc.children.find((c) => c.name === 'ol')!.children.filter((li) => li.children.some((c) => c.name === 'span'));
      expect(modules).toHaveLength(MODULES.length);
      modules.forEach((li, m) => {
        const lessonLinks = elements(li, 'a').map((a) => a.attrs.get('href'));
        expect(lessonLinks).toEqual(MODULES[m]!.lessons.map((l) => `lessons/${path.basename(l, '.md')}.xhtml`));
      });
      const landmarks = navs.find((n) => n.attrs.get(`{${NS.epub}}type`) === 'landmarks')!;
      expect(elements(landmarks, 'a').map((a) => a.attrs.get(`{${NS.epub}}type`))).toEqual(['titlepage', 'toc', 'bodymatter', 'answers']);
    }
    // a lesson that fell back to Vietnamese says so, for screen readers' voices
    const hmnLinks = elements(books.get('hmn')!.xml('EPUB/nav.xhtml'), 'a');
    expect(hmnLinks.find((a) => a.attrs.get('href') === 'lessons/thanh-toan-qr.xhtml')!.attrs.get('lang')).toBe('vi');
    expect(hmnLinks.find((a) => a.attrs.get('href') === 'lessons/mat-khau-an-toan.xhtml')!.attrs.get('lang')).toBeUndefined();
  });

  it('writes every content document as well-formed XHTML with the lesson language, one per lesson, in spine order', () => {
    for (const lang of LANGUAGES) {
      const book = books.get(lang)!;
      const opf = book.xml('EPUB/package.opf');
      const items = new Map(elements(opf, 'item', NS.opf).map((i) => [i.attrs.get('id')!, i]));
      const spine = elements(opf, 'itemref', NS.opf).map((r) => items.get(r.attrs.get('idref')!)!.attrs.get('href'));
      expect(spine).toEqual(['title.xhtml', 'nav.xhtml', ...LESSON_IDS.map((id) => `lessons/${id}.xhtml`), 'answers.xhtml']);
      for (const name of [...book.files.keys()].filter((f) => f.endsWith('.xhtml'))) {
        const doc = book.xml(name);
        expect(doc.ns).toBe(NS.xhtml);
        expect(doc.attrs.get('lang')).toBe(doc.attrs.get('{http://www.w3.org/XML/1998/namespace}lang'));
      }
      // every manifest item exists, every file is in the manifest
      const hrefs = [...items.values()].map((i) => `EPUB/${decodeURIComponent(i.attrs.get('href')!)}`).sort();
      expect(hrefs).toEqual([...book.files.keys()].filter((f) => f.startsWith('EPUB/') && f !== 'EPUB/package.opf').sort());
      // only core media types: no WebP, AVIF or Opus
      expect([...book.files.keys()].filter((f) => /\.(webp|avif|opus|ogg|html)$/.test(f))).toEqual([]);
    }
    expect(books.get('hmn')!.xml('EPUB/lessons/thanh-toan-qr.xhtml').attrs.get('lang')).toBe('vi');
    expect(books.get('hmn')!.xml('EPUB/lessons/mat-khau-an-toan.xhtml').attrs.get('lang')).toBe('hmn');
  });

  it('syncs narration: SMIL clips of existing audio, in order, within its length, on existing elements that say the words', async () => {
    for (const lang of ['vi', 'en']) {
      const book = books.get(lang)!;
      const opf = book.xml('EPUB/package.opf');
      const items = elements(opf, 'item', NS.opf);
      const byItemId = new Map(items.map((i) => [i.attrs.get('id')!, i]));
      const meta = packageMetadata(opf);
      for (const [n, lessonId] of LESSON_IDS.entries()) {
        const item = items.find((i) => i.attrs.get('href') === `lessons/${lessonId}.xhtml`)!;
        const overlayItem = byItemId.get(item.attrs.get('media-overlay')!)!;
        expect(overlayItem.attrs.get('media-type')).toBe('application/smil+xml');
        const smilName = `EPUB/${overlayItem.attrs.get('href')}`;
        const smil = book.xml(smilName);
        const pars = elements(smil, 'par', NS.smil);
        expect(pars.length).toBeGreaterThan(10);
        const audioNames = new Set<string>();
        const docs = new Map<string, XNode>();
        let previousEnd = 0;
        let playing = 0;
        const clips: { begin: number; end: number; element: XNode }[] = [];
        for (const par of pars) {
          const text = par.children.find((c) => c.name === 'text')!;
          const audio = par.children.find((c) => c.name === 'audio')!;
          const [docHref, id] = text.attrs.get('src')!.split('#');
          const docName = path.posix.join(path.posix.dirname(smilName), docHref!);
          expect(docName).toBe(`EPUB/lessons/${lessonId}.xhtml`);
          if (!docs.has(docName)) docs.set(docName, book.xml(docName));
          const element = byId(docs.get(docName)!, decodeURIComponent(id!));
          expect(element, `#${id} in ${docName}`).toBeDefined();
          audioNames.add(path.posix.join(path.posix.dirname(smilName), decodeURIComponent(audio.attrs.get('src')!)));
          const begin = clockSeconds(audio.attrs.get('clipBegin')!);
          const end = clockSeconds(audio.attrs.get('clipEnd')!);
          expect(begin).toBeLessThan(end);
          expect(begin).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = end;
          playing += end - begin;
          clips.push({ begin, end, element: element! });
        }
        // one MP3, in the book, at least as long as the last clip
        expect(audioNames.size).toBe(1);
        const [audioName] = [...audioNames];
        expect(book.files.has(audioName!)).toBe(true);
        const dir = tempDir('hocso-epub-audio-');
        const mp3 = path.join(dir, 'narration.mp3');
        writeFileSync(mp3, book.files.get(audioName!)!);
        const duration = Number((await probeFile(mp3)).format.duration);
        expect(previousEnd).toBeLessThanOrEqual(duration);
        // the overlay's stated duration is its playing time
        const stated = meta.find((m) => m.name === 'media:duration' && m.attrs.get('refines') === `#${overlayItem.attrs.get('id')}`)!;
        expect(clockSeconds(stated.value)).toBeCloseTo(playing, 3);
        // each sentence of the narration (the audio target's transcript: same sentences, same times) falls in one
        // clip, whose element shows the sentence's last words (a prefix like "Bước 1." or "Lựa chọn A:" comes first)
        const transcript = readFileSync(path.join(project, 'out', 'audio', COURSE, lang, 'transcripts', `${String(n + 1).padStart(2, '0')}-${lessonId}.vtt`), 'utf8');
        const cues = vttCues(transcript);
        expect(cues.length).toBeGreaterThanOrEqual(pars.length);
        let matched = 0;
        for (const cue of cues) {
          if (cue.end - cue.start < 0.002) continue;
          const clip = clips.find((c) => c.begin <= cue.start + 0.0015 && cue.end <= c.end + 0.0015);
          expect(clip, `a clip for "${cue.text}" (${cue.start}–${cue.end})`).toBeDefined();
          // interface words (the objectives heading) are in the book's language, the lesson may be a fallback in another
          if (clip!.element.attrs.has('lang')) continue;
          const shown = new Set(words(deepText(clip!.element)));
          // (the last word always; the last three when the sentence is long enough to hold them after any prefix)
          const all = words(cue.text);
          const last = all.slice(all.length >= 6 ? -3 : -1);
          if (last.every((w) => shown.has(w))) matched++;
          else expect.soft(last, `"${cue.text}" in <${clip!.element.name} id=${clip!.element.attrs.get('id')}>: ${deepText(clip!.element).slice(0, 120)}`).toEqual([]);
        }
        expect(matched).toBeGreaterThan(10);
      }
    }
  });

  it('offers the narration as an <audio> player too, in every narrated lesson (also where no overlay is possible)', () => {
    const book = books.get('vi')!;
    for (const id of LESSON_IDS) {
      const audio = elements(book.xml(`EPUB/lessons/${id}.xhtml`), 'audio');
      expect(audio).toHaveLength(1);
      expect(book.files.has(`EPUB/lessons/${decodeURIComponent(audio[0]!.attrs.get('src')!)}`.replace('lessons/../', ''))).toBe(true);
    }
    // Hmong lessons have no voice: no player, no overlay
    const hmn = books.get('hmn')!;
    expect(elements(hmn.xml('EPUB/lessons/mat-khau-an-toan.xhtml'), 'audio')).toEqual([]);
    const item = elements(hmn.xml('EPUB/package.opf'), 'item', NS.opf).find((i) => i.attrs.get('href') === 'lessons/mat-khau-an-toan.xhtml')!;
    expect(item.attrs.get('media-overlay')).toBeUndefined();
  });

  it('shows each quiz as a question and a plain list of options, marked scripted, with a link to its answer', () => {
    const book = books.get('vi')!;
    const opf = book.xml('EPUB/package.opf');
    const doc = book.xml('EPUB/lessons/mat-khau-an-toan.xhtml');
    const item = elements(opf, 'item', NS.opf).find((i) => i.attrs.get('href') === 'lessons/mat-khau-an-toan.xhtml')!;
    expect(item.attrs.get('properties')?.split(' ')).toContain('scripted');
    const quiz = byId(doc, 'quiz-mat-khau-manh-nhat')!;
    const options = elements(quiz, 'li').map((li) => deepText(li));
    expect(options).toEqual(['123456', 'Hoa1960', 'TraDa-ChoMeo-Bay-QuaSong-9']);
    expect(elements(quiz, 'a').map((a) => a.attrs.get('href'))).toEqual(['../answers.xhtml#answer-mat-khau-an-toan-mat-khau-manh-nhat']);
    // nothing in the lesson's text gives the answer away: feedback is only in the script's data and the answer key
    const visible = (node: XNode): string => (node.name === 'script' ? '' : [node.text, ...node.children.map(visible)].join(' '));
    expect(visible(doc)).not.toContain('Cụm từ dài, lạ, khó đoán');
    expect(visible(doc)).toContain('TraDa-ChoMeo-Bay-QuaSong-9');
  });

  it('ends with an answer key: every question, its right answers, each choice with its feedback', () => {
    const book = books.get('vi')!;
    const answers = book.xml('EPUB/answers.xhtml');
    expect(deepText(elements(answers, 'h1')[0]!)).toBe('Đáp án');
    expect(deepText(elements(books.get('en')!.xml('EPUB/answers.xhtml'), 'h1')[0]!)).toBe('Answer key');
    let checked = 0;
    for (const lessonId of LESSON_IDS) {
      for (const quiz of markdownQuizzes(readFileSync(path.join(COURSE_DIR, 'lessons', `${lessonId}.md`), 'utf8'))) {
        const section = byId(answers, `answer-${lessonId}-${quiz.id}`);
        expect(section, `answer of ${lessonId}#${quiz.id}`).toBeDefined();
        const right = elements(section!, 'p').find((p) => hasClass(p, 'answer-right'))!;
        const rightWords = new Set(words(deepText(right)));
        const items = elements(section!, 'li').filter((li) => hasClass(li, 'answer-choice'));
        expect(items).toHaveLength(quiz.choices.length);
        quiz.choices.forEach((choice, i) => {
          expect(hasClass(items[i]!, 'is-right')).toBe(choice.correct);
          const shown = words(deepText(items[i]!)).join(' ');
          expect(shown).toContain(words(choice.text).join(' '));
          if (choice.feedback) expect(shown).toContain(words(choice.feedback).join(' '));
          if (choice.correct) for (const w of words(choice.text)) expect(rightWords.has(w)).toBe(true);
        });
        // and back to the question
        const back = elements(section!, 'a').map((a) => a.attrs.get('href'));
        expect(back).toContain(`lessons/${lessonId}.xhtml#quiz-${quiz.id}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('makes the quizzes work where the reading app runs scripts', () => {
    const book = books.get('vi')!;
    const dom = new JSDOM(book.text('EPUB/lessons/mat-khau-an-toan.xhtml'), { contentType: 'application/xhtml+xml', runScripts: 'outside-only' });
    dom.window.eval(book.text('EPUB/assets/hocso-quiz.js'));
    const doc = dom.window.document;
    const quiz = doc.getElementById('quiz-mat-khau-manh-nhat')!;
    const inputs = [...quiz.querySelectorAll('input')] as HTMLInputElement[];
    expect(inputs.map((i) => i.type)).toEqual(['radio', 'radio', 'radio']);
    const check = quiz.querySelector('button.quiz-check') as HTMLButtonElement;
    const status = quiz.querySelector('.quiz-feedback')!;
    check.click();
    expect(status.textContent).toBe('Hãy chọn một câu trả lời.');
    inputs[0]!.checked = true;
    check.click();
    expect(status.textContent).toBe('Chưa đúng.');
    expect(quiz.querySelector('#quiz-mat-khau-manh-nhat-a .choice-feedback')!.textContent).toBe('Sai. Đây là mật khẩu bị đoán nhiều nhất.');
    inputs[2]!.checked = true;
    check.click();
    expect(status.textContent).toBe('Đúng rồi!');
    // a fill-in question takes typed answers, in any case and spacing
    const fill = doc.getElementById('quiz-xac-thuc-may-lop')!;
    const field = fill.querySelector('input[type="text"]') as HTMLInputElement;
    field.value = '  HAI ';
    (fill.querySelector('button.quiz-check') as HTMLButtonElement).click();
    expect(fill.querySelector('.quiz-feedback')!.textContent).toBe('Đúng rồi!');
    // several answers must all be chosen
    const multiple = doc.getElementById('quiz-khong-dang-len-mang')!;
    const boxes = [...multiple.querySelectorAll('input')] as HTMLInputElement[];
    expect(boxes.map((b) => b.type)).toEqual(['checkbox', 'checkbox', 'checkbox', 'checkbox']);
    boxes[0]!.checked = true;
    (multiple.querySelector('button.quiz-check') as HTMLButtonElement).click();
    expect(multiple.querySelector('.quiz-feedback')!.textContent).toBe('Chưa đúng.');
    boxes[1]!.checked = true;
    boxes[2]!.checked = true;
    (multiple.querySelector('button.quiz-check') as HTMLButtonElement).click();
    expect(multiple.querySelector('.quiz-feedback')!.textContent).toBe('Đúng rồi!');
  });

  it('gives byte-identical books when the same sources are built again, and dates them by SOURCE_DATE_EPOCH when set', async () => {
    const again = hocso(['build', '--target', 'epub', '--out', 'out-again'], project);
    expect(again.code).toBe(0);
    for (const lang of LANGUAGES) expect(readFileSync(bookFile(lang, 'out-again')).equals(readFileSync(bookFile(lang))), lang).toBe(true);
    const dated = hocso(['build', '--target', 'epub', '--lang', 'vi', '--out', 'out-dated'], project, { SOURCE_DATE_EPOCH: '1700000000' });
    expect(dated.code).toBe(0);
    const meta = packageMetadata((await readBook(bookFile('vi', 'out-dated'))).xml('EPUB/package.opf'));
    expect(meta.find((m) => m.name === 'dcterms:modified')?.value).toBe('2023-11-14T22:13:20Z');
    const identifier = (book: Book): string | undefined => packageMetadata(book.xml('EPUB/package.opf')).find((m) => m.name === 'dc:identifier')?.value;
    expect(identifier(await readBook(bookFile('vi', 'out-dated')))).toBe(identifier(books.get('vi')!));
  }, 120_000);
});

/** The quizzes of a lesson's Markdown: id, choices with [x] / [ ] and their `>` feedback (the answer key's truth). */
function markdownQuizzes(markdown: string): { id: string; choices: { text: string; correct: boolean; feedback?: string }[] }[] {
  return [...markdown.matchAll(/^::::quiz\{#([^\s}]+)[^}]*\}\n([\s\S]*?)\n::::$/gm)].map((m) => {
    const choices: { text: string; correct: boolean; feedback?: string }[] = [];
    for (const line of m[2]!.split('\n')) {
      const choice = /^- \[([ xX])\] (.*)$/.exec(line);
      if (choice) choices.push({ text: choice[2]!.replace(/`/g, ''), correct: choice[1] !== ' ' });
      const feedback = /^\s+> (.*)$/.exec(line);
      if (feedback && choices.length) choices[choices.length - 1]!.feedback = [choices[choices.length - 1]!.feedback, feedback[1]!].filter(Boolean).join(' ');
    }
    return { id: m[1]!, choices };
  });
}
