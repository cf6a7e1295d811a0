// `hocso doctor`: what this machine gives hocso — which ffmpeg and ffprobe are used and where they came from, what
// the optional tools provide, and which of the project's languages have a voice for synthesized narration.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { languageLabel } from '../i18n/language-tag.js';
import { locateTool, runTool, type Tool, type ToolName } from '../media/tools.js';
import { espeakVoices, voiceFor } from '../media/speech.js';
import { findConfigFile, loadConfig, type ProjectConfig } from '../project/config.js';
import { CHROMIUM_INSTALL_HINT, findChromium } from '../tools/chromium.js';
import { EXIT_CONTENT_ERRORS, EXIT_OK, type Io } from '../cli/context.js';

export interface DoctorOptions {
  config?: string;
  format?: 'pretty' | 'json';
}

interface Check {
  name: string;
  ok: boolean;
  /** Needed for a plain build (ffmpeg for narration and video); optional tools only add targets or checks. */
  required: boolean;
  summary: string;
  details: string[];
}

/** What ffmpeg must offer for the media pipeline (encoders and filters), checked by name. */
const FFMPEG_FEATURES = [
  { kind: 'encoders', name: 'libopus', for: 'Opus narration' },
  { kind: 'encoders', name: 'libmp3lame', for: 'MP3 fallback, audio bundle' },
  { kind: 'encoders', name: 'libx264', for: 'H.264 video' },
  { kind: 'encoders', name: 'aac', for: 'AAC video sound' },
  { kind: 'filters', name: 'loudnorm', for: 'EBU R128 normalization' },
  { kind: 'filters', name: 'ebur128', for: 'loudness measurement' },
] as const;

export async function doctor(io: Io, options: DoctorOptions): Promise<number> {
  const checks: Check[] = [];
  checks.push({ name: 'Node.js', ok: true, required: true, summary: process.version, details: [] });
  checks.push(await sharpCheck());
  const ffmpeg = await toolCheck('ffmpeg');
  checks.push(ffmpeg, await toolCheck('ffprobe'));
  checks.push(await speechCheck(projectConfig(io, options.config)));
  checks.push(chromiumCheck());
  checks.push(optionalProgram('msgfmt', [], ['msgfmt'], 'checking PO files on `translate import`', 'apt-get install gettext'));
  checks.push(epubcheckCheck());

  if (options.format === 'json') io.stdout(`${JSON.stringify({ checks }, null, 2)}\n`);
  else {
    for (const check of checks) {
      const mark = check.ok ? '✓' : check.required ? '✗' : '–';
      io.stdout(`${mark} ${check.name.padEnd(10)} ${check.summary}\n`);
      for (const line of check.details) io.stdout(`  ${' '.repeat(10)} ${line}\n`);
    }
  }
  return checks.some((c) => c.required && !c.ok) ? EXIT_CONTENT_ERRORS : EXIT_OK;
}

/** Proven by encoding a pixel in each format the image pipeline writes (a format list can claim what fails). */
async function sharpCheck(): Promise<Check> {
  const versions = sharp.versions as Record<string, string>;
  const formats = ['avif', 'webp', 'jpeg', 'png'] as const;
  const pixel = (): Sharp => sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } });
  const works = await Promise.all(formats.map((f) => pixel().toFormat(f).toBuffer().then(() => true, () => false)));
  const failed = formats.filter((_, i) => !works[i]);
  const details = [`encodes ${formats.filter((_, i) => works[i]).join(', ')}: responsive images, posters, slides`];
  if (failed.length) details.push(`cannot encode ${failed.join(', ')}: reinstall sharp (npm rebuild sharp)`);
  return { name: 'sharp', ok: failed.length === 0, required: true, summary: `${versions.sharp ?? '?'} (libvips ${versions.vips ?? '?'})`, details };
}

async function toolCheck(name: ToolName): Promise<Check> {
  const { tool, candidates } = locateTool(name);
  const tried = candidates.map((c) => `${c === candidates.find((x) => x.path === tool?.path && x.source === tool?.source) ? '→' : ' '} ${c.source}${c.path ? `: ${c.path}` : ''}${c.problem ? ` (${c.problem})` : ''}`);
  if (!tool) {
    return { name, ok: false, required: true, summary: 'not found', details: [...tried, 'Fix: reinstall hocso (it ships @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe), `apt-get install ffmpeg`, or set HOCSO_FFMPEG / HOCSO_FFPROBE.'] };
  }
  const details = [`used: ${tool.source} (${tool.version})`, 'looked at, in order:', ...tried];
  if (name === 'ffmpeg') details.push(...(await ffmpegFeatures(tool)));
  const missing = name === 'ffmpeg' ? details.filter((d) => d.startsWith('✗')).length : 0;
  return { name, ok: missing === 0, required: true, summary: tool.path, details };
}

async function ffmpegFeatures(tool: Tool): Promise<string[]> {
  const lists: Record<string, string> = {};
  for (const kind of ['encoders', 'filters'] as const) lists[kind] = (await runTool(tool, [`-${kind}`]).catch(() => ({ stdout: Buffer.alloc(0) }))).stdout.toString('utf8');
  return FFMPEG_FEATURES.map((f) => `${new RegExp(`\\s${f.name}\\s`).test(lists[f.kind]!) ? '✓' : '✗'} ${f.name} (${f.for})`);
}

async function speechCheck(config: ProjectConfig | undefined): Promise<Check> {
  let voices: string[];
  try {
    voices = await espeakVoices();
  } catch (error) {
    return { name: 'speech', ok: false, required: false, summary: `eSpeak NG (WebAssembly) does not load: ${(error as Error).message}`, details: [] };
  }
  const details = [`eSpeak NG (WebAssembly, from the npm package espeak-ng): ${voices.length} voices`];
  if (config?.narration?.command) details.push(`external engine for ${config.narration.command.languages.join(', ')}: ${config.narration.command.run}`);
  if (config) {
    // Without `languages` the project builds each course's own language; Vietnamese is the usual one.
    const tags = config.languages.length ? config.languages.map((l) => l.tag) : ['vi'];
    const withVoice: string[] = [];
    const without: string[] = [];
    for (const tag of tags) {
      const voice = config.narration?.command?.languages.includes(tag) ? { engine: 'command' as const, name: 'command' } : await voiceFor(tag, config.narration?.voices);
      if (voice) withVoice.push(`${tag} (${voice.engine === 'command' ? 'external command' : voice.name})`);
      else without.push(languageLabel(tag));
    }
    if (withVoice.length) details.push(`the project's languages with a voice: ${withVoice.join(', ')}`);
    if (without.length) details.push(`no voice (narration only from recordings): ${without.join(', ')} — record the lessons, map a close voice in \`narration.voices\`, or add an engine in \`narration.command\``);
  } else details.push('run inside a project to see which of its languages have a voice');
  return { name: 'speech', ok: true, required: false, summary: 'text-to-speech for narration', details };
}

function projectConfig(io: Io, explicit: string | undefined): ProjectConfig | undefined {
  try {
    return loadConfig(findConfigFile(io.cwd, explicit)).config;
  } catch {
    return undefined;
  }
}

/** The same search the print target makes (HOCSO_CHROMIUM, then the usual names on the PATH). */
function chromiumCheck(): Check {
  const found = findChromium();
  const provides = 'the printable handout (--target print) and the browser tests';
  if (!found) return { name: 'Chromium', ok: false, required: false, summary: `not found: needed for ${provides}`, details: [CHROMIUM_INSTALL_HINT] };
  const version = spawnSync(found.path, ['--version'], { encoding: 'utf8', timeout: 15_000 }).stdout?.split('\n').find(Boolean)?.trim();
  return { name: 'Chromium', ok: true, required: false, summary: found.path, details: [`${version ? `${version}, ` : ''}from ${found.source}: ${provides}`] };
}

/** Debian's epubcheck is a bare jar linked from /usr/bin (it runs through binfmt, when that is set up): run it with java. */
function epubcheckCheck(): Check {
  const jar = [process.env.EPUBCHECK_JAR, '/usr/share/java/epubcheck.jar'].find((f): f is string => Boolean(f && existsSync(f)));
  const provides = 'checking EPUB bundles (--target epub; the tests run it on every book)';
  if (!jar) return { name: 'epubcheck', ok: false, required: false, summary: `not found: needed for ${provides}`, details: ['Install: apt-get install epubcheck (or set EPUBCHECK_JAR to epubcheck.jar)'] };
  const run = spawnSync('java', ['-jar', jar, '--version'], { encoding: 'utf8', timeout: 60_000 });
  const version = `${run.stdout ?? ''}${run.stderr ?? ''}`.split('\n').find((l) => l.startsWith('EPUBCheck'))?.trim();
  if (!version) return { name: 'epubcheck', ok: false, required: false, summary: `${jar} does not run (is Java installed?)`, details: ['Install: apt-get install default-jre-headless'] };
  return { name: 'epubcheck', ok: true, required: false, summary: jar, details: [`${version}: ${provides}`] };
}

function optionalProgram(name: string, envVars: string[], names: string[], provides: string, install: string): Check {
  const fromEnv = envVars.map((v) => process.env[v]).find((v): v is string => Boolean(v && existsSync(v)));
  const onPath = names.flatMap((n) => (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, n))).find((f) => existsSync(f));
  const file = fromEnv ?? onPath;
  if (!file) return { name, ok: false, required: false, summary: `not found: needed for ${provides}`, details: [`Install: ${install}${envVars.length ? ` (or set ${envVars.join(' / ')})` : ''}`] };
  const version = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 15_000 }).stdout?.split('\n').find(Boolean)?.trim();
  return { name, ok: true, required: false, summary: file, details: [`${version ? `${version}: ` : ''}${provides}`] };
}
