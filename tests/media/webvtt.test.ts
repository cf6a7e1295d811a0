import { describe, expect, it } from 'vitest';
import { checkCaptions, decodeWebVtt, formatTimestamp, normalizeWebVtt, parseTimestamp, parseWebVtt } from '../../src/media/webvtt.js';

const VALID = `WEBVTT - Bài 1

NOTE made by hand
over two lines

STYLE
::cue { color: yellow }

intro
00:00.000 --> 00:01.500
Xin chào!

00:01.500 --> 00:03.000 align:start line:90%
<v Lan>Mật khẩu mạnh
có ít nhất 12 ký tự.</v>

01:00:00.000 --> 01:00:02.250
Hết.
`;

const errors = (text: string) => parseWebVtt(text, 'c.vtt').problems.filter((p) => p.severity === 'error');

describe('parseWebVtt', () => {
  it('reads a valid file: header text, NOTE and STYLE skipped, identifiers, settings, multi-line cues, hours', () => {
    const { cues, problems } = parseWebVtt(VALID, 'c.vtt');
    expect(problems).toEqual([]);
    expect(cues).toEqual([
      { start: 0, end: 1.5, text: 'Xin chào!', line: 10 },
      { start: 1.5, end: 3, text: '<v Lan>Mật khẩu mạnh\ncó ít nhất 12 ký tự.</v>', line: 13 },
      { start: 3600, end: 3602.25, text: 'Hết.', line: 17 },
    ]);
  });

  it('accepts a BOM and CRLF or CR line endings, with the same lines', () => {
    const crlf = `\uFEFF${VALID.replace(/\n/g, '\r\n')}`;
    expect(parseWebVtt(crlf, 'c.vtt')).toEqual(parseWebVtt(VALID, 'c.vtt'));
    expect(parseWebVtt(VALID.replace(/\n/g, '\r'), 'c.vtt')).toEqual(parseWebVtt(VALID, 'c.vtt'));
  });

  it('reports a bad timing at its own line and keeps reading the other cues', () => {
    const text = 'WEBVTT\n\n00:00.000 --> 00:01.000\nmột\n\n00:00:01,000 --> 00:00:02,000\nhai\n\n00:02.000 --> 00:03.00\nba\n\n00:03.000 --> 00:04.000\nbốn\n';
    const { cues, problems } = parseWebVtt(text, 'c.vtt');
    expect(problems.map((p) => [p.line, p.severity])).toEqual([[6, 'error'], [9, 'error']]);
    expect(problems[0]!.message).toMatch(/comma.*SRT.*00:00:01\.000/);
    expect(problems[1]!.message).toMatch(/three digits.*00:03\.000/);
    expect(cues.map((c) => c.text)).toEqual(['một', 'bốn']);
  });

  it('names other timestamp mistakes in words', () => {
    expect(parseTimestamp('00:01.000')).toBe(1);
    expect(parseTimestamp('1:02:03.004')).toBeCloseTo(3723.004, 6);
    expect(parseTimestamp('00:61.000')).toMatch(/00 to 59/);
    expect(parseTimestamp('1:02.000')).toMatch(/two digits, `01:02\.000`/);
    expect(parseTimestamp('00:01')).toMatch(/no milliseconds/);
    expect(parseTimestamp('soon')).toMatch(/not a timestamp/);
    expect(formatTimestamp(3.5)).toBe('0:03.500');
    expect(formatTimestamp(3723.004)).toBe('1:02:03.004');
  });

  it('requires end > start, cues in order of start, and warns when cues overlap', () => {
    const text = [
      'WEBVTT', '',
      '00:05.000 --> 00:04.000', 'ngược', '', // 3: ends before it starts
      '00:06.000 --> 00:06.000', 'không', '', // 6: lasts no time
      '00:10.000 --> 00:12.000', 'a', '', // 9
      '00:11.000 --> 00:13.000', 'b', '', // 12: overlaps 9 (a warning)
      '00:08.000 --> 00:09.000', 'c', '', // 15: out of order
    ].join('\n');
    const { problems } = parseWebVtt(text, 'c.vtt');
    expect(problems.map((p) => [p.line, p.severity])).toEqual([
      [3, 'error'],
      [6, 'error'],
      [12, 'warning'],
      [15, 'error'],
    ]);
    expect(problems[0]!.message).toMatch(/ends \(0:04\.000\) before it starts \(0:05\.000\)/);
    expect(problems[2]!.message).toMatch(/line 9 is still shown/);
    expect(problems[3]!.message).toMatch(/in order of time.*line 12/);
  });

  it('reports a missing header at line 1, recognizing SRT, and still checks the cues', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nXin chào\n';
    const { problems } = parseWebVtt(srt, 'media/a.vtt');
    expect(problems.map((p) => p.line)).toEqual([1, 2]);
    expect(problems[0]!.message).toMatch(/must start with the line `WEBVTT`: this looks like an SRT file/);
    expect(errors('WEBVTTX\n\n00:00.000 --> 00:01.000\nx\n').map((p) => p.line)).toEqual([1]);
    expect(errors('').map((p) => p.line)).toEqual([1]);
    expect(errors('\uFEFFWEBVTT\n')).toEqual([]);
  });

  it('finds a missing blank line: after the header, and between two cues', () => {
    expect(errors('WEBVTT\n00:00.000 --> 00:01.000\nx\n').map((p) => p.line)).toEqual([2]);
    const { cues, problems } = parseWebVtt('WEBVTT\n\n00:00.000 --> 00:01.000\nx\n00:01.000 --> 00:02.000\ny\n', 'c.vtt');
    expect(problems.map((p) => p.line)).toEqual([5]);
    expect(cues).toHaveLength(1);
    expect(errors('WEBVTT\n\nonly words here\nand more\n').map((p) => p.line)).toEqual([3]);
    const arrow = errors('WEBVTT\n\nid-1\n00:00.000 -> 00:01.000\nx\n\n00:01.000 → 00:02.000\ny\n');
    expect(arrow.map((p) => p.line)).toEqual([4, 7]);
    expect(arrow[0]!.message).toMatch(/separate the times with `-->`/);
  });
});

describe('normalizeWebVtt', () => {
  it('gives LF endings, no BOM, NFC text and one trailing newline, whatever the editor wrote', () => {
    const nfd = 'Xin chào'.normalize('NFD');
    const a = normalizeWebVtt(`\uFEFFWEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\n${nfd}\r\n\r\n\r\n`);
    const b = normalizeWebVtt('WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào');
    const c = normalizeWebVtt('WEBVTT\r\r00:00.000 --> 00:01.000\rXin chào\r');
    expect(a).toBe('WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào\n');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(normalizeWebVtt(a)).toBe(a);
  });
});

describe('checkCaptions', () => {
  it('makes media/bad-captions diagnostics at the line of the VTT file, warnings as warnings', () => {
    const text = 'WEBVTT\n\n00:00.000 --> 00:01.000\nmột\n\n00:00.500 --> 00:02.000\nhai\n\n00:03,000 --> 00:04.000\nba\n';
    const diagnostics = checkCaptions(text, 'content/courses/c/media/clip.vtt');
    expect(diagnostics.map((d) => [d.ruleId, d.severity, `${d.file}:${d.line}:${d.column}`])).toEqual([
      ['media/bad-captions', 'warning', 'content/courses/c/media/clip.vtt:6:1'],
      ['media/bad-captions', 'error', 'content/courses/c/media/clip.vtt:9:1'],
    ]);
    expect(diagnostics[1]!.hint).toMatch(/WEBVTT/);
  });

  it('warns once when cues run past the end of the video, at the first late cue', () => {
    const text = 'WEBVTT\n\n00:00.000 --> 00:02.000\na\n\n00:02.000 --> 00:03.400\nb\n\n00:03.400 --> 00:05.000\nc\n\n00:05.000 --> 00:06.000\nd\n';
    const diagnostics = checkCaptions(text, 'x.vtt', 3);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ ruleId: 'media/captions-past-end', severity: 'warning', file: 'x.vtt', line: 9 });
    expect(diagnostics[0]!.message).toBe('this cue (and 1 more after it) ends at 0:05.000, after the video ends (0:03.000)');
    expect(checkCaptions(text, 'x.vtt', 6)).toEqual([]);
  });

  it('reports captions that are not UTF-8 (a Windows-1258 file) at the line of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nXin ch'), Buffer.from([0xe0, 0x6f]), Buffer.from('\n')]);
    expect(decodeWebVtt(bytes)).toEqual({ badLine: 4 });
    const [d, ...rest] = checkCaptions(bytes, 'x.vtt');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ ruleId: 'media/bad-captions', severity: 'error', line: 4 });
    expect(d!.message).toMatch(/not UTF-8/);
    expect(checkCaptions(Buffer.from(VALID), 'x.vtt')).toEqual([]);
  });
});
