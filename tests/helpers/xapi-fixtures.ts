// cmi5 and Tin Can (xAPI) packages written by hand, in the styles other authoring tools use, to test `hocso verify`
// on packages hocso did not make; and the cmi5 spec's own example course structures. Each fixture is path → content.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './project.js';
import type { PackageFiles } from './scorm-fixtures.js';

/** The cmi5 spec's examples (AICC/CMI-5_Spec_Current v1/examples), kept in ../shared beside the repository. */
export const CMI5_EXAMPLES_DIR = path.join(REPO, '..', 'shared', 'reference', 'xsd', 'cmi5', 'v1', 'examples');

const page = (title: string, body = ''): string => `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>\n`;

/**
 * Each spec example as a package: its course structure as cmi5.xml, plus a page for every AU url that is relative
 * (the examples use absolute urls, so most are "cmi5.xml only" course structures, as the spec allows).
 */
export function cmi5SpecExamples(): [string, PackageFiles][] {
  return readdirSync(CMI5_EXAMPLES_DIR)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => {
      const xml = readFileSync(path.join(CMI5_EXAMPLES_DIR, name), 'utf8');
      const files: PackageFiles = { 'cmi5.xml': xml };
      for (const [, url] of xml.matchAll(/<url>\s*([^<]*?)\s*<\/url>/g)) {
        if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url!)) files[decodeURIComponent(url!.replace(/[?#].*$/, ''))] = page(url!);
      }
      return [name, files];
    });
}

const CMI5_ROOT = '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">';

const text = (element: string, value: string, lang = 'vi'): string => `<${element}><langstring lang="${lang}">${value}</langstring></${element}>`;

/**
 * A multi-AU cmi5 course as LMS-side authoring tools export it: course objectives, nested blocks that reference them,
 * AUs launched from the package (a query string, an encoded space, a shared style sheet and script, media a script
 * loads by name) and one AU hosted elsewhere (absolute url).
 */
export function cmi5Course(): PackageFiles {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
${CMI5_ROOT}
  <course id="https://lms.example.vn/courses/an-toan-mang">
    ${text('title', 'An toàn trên mạng')}
    <description>
      <langstring lang="vi">Khóa học ngắn về an toàn trên mạng.</langstring>
      <langstring lang="en-US">A short course on staying safe online.</langstring>
    </description>
  </course>
  <objectives>
    <objective id="https://lms.example.vn/objectives/mat-khau">
      ${text('title', 'Đặt mật khẩu an toàn')}
      ${text('description', 'Biết đặt và giữ mật khẩu.')}
    </objective>
    <objective id="https://lms.example.vn/objectives/lua-dao">
      ${text('title', 'Nhận biết lừa đảo')}
      ${text('description', 'Nhận ra tin nhắn lừa đảo.')}
    </objective>
  </objectives>
  <block id="https://lms.example.vn/courses/an-toan-mang/blocks/1">
    ${text('title', 'Phần 1')}
    ${text('description', 'Mật khẩu')}
    <objectives>
      <objective idref="https://lms.example.vn/objectives/mat-khau"/>
    </objectives>
    <au id="https://lms.example.vn/courses/an-toan-mang/aus/1" moveOn="Completed" launchMethod="AnyWindow"
        activityType="http://adlnet.gov/expapi/activities/lesson">
      ${text('title', 'Bài 1')}
      ${text('description', 'Mật khẩu mạnh')}
      <url>bai-1/index.html?lang=vi</url>
    </au>
    <au id="https://lms.example.vn/courses/an-toan-mang/aus/2" moveOn="CompletedAndPassed" masteryScore="0.8"
        launchMethod="OwnWindow">
      ${text('title', 'Bài 2')}
      ${text('description', 'Kiểm tra')}
      <objectives>
        <objective idref="https://lms.example.vn/objectives/mat-khau"/>
      </objectives>
      <url>bai%202/index.html#start</url>
      <launchParameters>{"mode":"quiz"}</launchParameters>
    </au>
  </block>
  <block id="https://lms.example.vn/courses/an-toan-mang/blocks/2">
    ${text('title', 'Phần 2')}
    ${text('description', 'Lừa đảo')}
    <block id="https://lms.example.vn/courses/an-toan-mang/blocks/2-1">
      ${text('title', 'Phần 2.1')}
      ${text('description', 'Tin nhắn')}
      <au id="urn:uuid:5c8a6a3e-7d1f-4a8e-9a51-0f1e2d3c4b5a" moveOn="Passed" masteryScore="0.75">
        ${text('title', 'Bài 3')}
        ${text('description', 'Tin nhắn lừa đảo')}
        <objectives>
          <objective idref="https://lms.example.vn/objectives/lua-dao"/>
        </objectives>
        <url>https://video.example.vn/lua-dao/launch.html</url>
      </au>
    </block>
  </block>
</courseStructure>
`;
  return {
    'cmi5.xml': xml,
    'bai-1/index.html': page('Bài 1', '<link rel="stylesheet" href="../shared/style.css"><script src="../shared/cmi5.js"></script><img src="anh%20chup.png" alt="">'),
    'bai-1/anh chup.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    'bai 2/index.html': page('Bài 2', '<link rel="stylesheet" href="../shared/style.css"><script type="module" src="quiz.js"></script>'),
    'bai 2/quiz.js': "import { start } from '../shared/cmi5.js';\nconst sounds = ['dung.mp3', 'sai.mp3'].map((name) => `media/${name}`);\nstart(sounds);\n",
    'bai 2/media/dung.mp3': new Uint8Array([0x49, 0x44, 0x33]),
    'bai 2/media/sai.mp3': new Uint8Array([0x49, 0x44, 0x33]),
    'shared/style.css': "@import url('fonts.css');\nbody { background: url(\"nen.svg\") }\n",
    'shared/fonts.css': "@font-face { font-family: Be; src: url(be-vietnam.woff2) }\n",
    'shared/be-vietnam.woff2': new Uint8Array([0x77, 0x4f, 0x46, 0x32]),
    'shared/nen.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    'shared/cmi5.js': 'export function start() {}\n',
  };
}

/** A single-AU cmi5 package in Articulate Storyline's style: index_lms.html, story_content/, media named by a data script. */
export function cmi5Storyline(): PackageFiles {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
${CMI5_ROOT}
  <course id="http://5Ujw93Dh98n_course_id">
    <title><langstring lang="und">Phishing awareness</langstring></title>
    <description><langstring lang="und">Spot a phishing e-mail.</langstring></description>
  </course>
  <au id="http://5Ujw93Dh98n_course_id/5Ujw93Dh98n_au_id" moveOn="CompletedOrPassed" masteryScore="0.8" launchMethod="AnyWindow">
    <title><langstring lang="und">Phishing awareness</langstring></title>
    <description><langstring lang="und">Spot a phishing e-mail.</langstring></description>
    <url>index_lms.html</url>
  </au>
</courseStructure>
`;
  return {
    'cmi5.xml': xml,
    'index_lms.html': page('Phishing awareness', '<script src="lms/scormdriver.js"></script><script src="story_content/user.js"></script><script src="html5/data/js/data.js"></script>'),
    'lms/scormdriver.js': 'var strContentLocation = "story.html";\n',
    'story.html': page('Phishing awareness'),
    'story_content/user.js': 'function ExecuteScript(id) {}\n',
    'html5/data/js/data.js': 'window.globalProvideData("data", {"assets":[{"url":"story_content/6Xr3vvKe.mp3"},{"url":"mobile/5zBg1.jpg"}]});\n',
    'story_content/6Xr3vvKe.mp3': new Uint8Array([0x49, 0x44, 0x33]),
    'mobile/5zBg1.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
  };
}

/**
 * tincan.xml as Articulate Storyline writes it (with the UTF-8 byte-order mark Rustici's files carry): the course
 * activity with its launch page, then module (slide) and interaction (question) activities without launch, lang "und".
 */
export function tincanStoryline(): PackageFiles {
  const base = 'http://example.com/6ZJv3JQ7iNQ';
  const xml = `\uFEFF<?xml version="1.0" encoding="utf-8" ?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="${base}" type="http://adlnet.gov/expapi/activities/course">
      <name lang="und">Fire safety</name>
      <description lang="und">What to do when the alarm rings.</description>
      <launch lang="und">story.html</launch>
    </activity>
    <activity id="${base}/5kFh3eBn1xE" type="http://adlnet.gov/expapi/activities/module">
      <name lang="und">Before the fire</name>
      <description lang="und" />
    </activity>
    <activity id="${base}/6b4kQ1r7wNp" type="http://adlnet.gov/expapi/activities/module">
      <name lang="und">Leaving the building</name>
      <description lang="und" />
    </activity>
    <activity id="${base}/6b4kQ1r7wNp/6Pz9PtXz1m2_course_id" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name lang="und">Which exit do you take?</name>
      <description lang="und">Which exit do you take?</description>
      <interactionType>choice</interactionType>
      <correctResponsePatterns>
        <correctResponsePattern>stairs</correctResponsePattern>
      </correctResponsePatterns>
      <choices>
        <component><id>stairs</id><description lang="und">The stairs</description></component>
        <component><id>lift</id><description lang="und">The lift</description></component>
      </choices>
    </activity>
    <activity id="${base}/6b4kQ1r7wNp/5wYl1Xq0m3d_course_id" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name lang="und">Put the steps in order</name>
      <description lang="und">Put the steps in order</description>
      <interactionType>sequencing</interactionType>
    </activity>
  </activities>
</tincan>
`;
  return {
    'tincan.xml': xml,
    'story.html': page('Fire safety', '<link rel="stylesheet" href="html5/lib/stylesheets/desktop.min.css"><script src="html5/lib/scripts/bootstrapper.min.js"></script><script src="story_content/user.js"></script>'),
    'html5/lib/stylesheets/desktop.min.css': 'body{margin:0}\n',
    'html5/lib/scripts/bootstrapper.min.js': 'window.DS={dataJs:"html5/data/js/data.js"};\n',
    'html5/data/js/data.js': 'window.globalProvideData("data", {"media":"story_content/5alarm.mp3"});\n',
    'story_content/user.js': 'function ExecuteScript(id) {}\n',
    'story_content/5alarm.mp3': new Uint8Array([0x49, 0x44, 0x33]),
  };
}

/** tincan.xml in iSpring's style: the course launched from res/index.html, slides and a quiz as activities, names in two languages. */
export function tincanIspring(): PackageFiles {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="http://ispringsolutions.com/tincan/9A3F2C1E-5B7D-4E0A-8C6F-1D2E3F4A5B6C" type="http://adlnet.gov/expapi/activities/course">
      <name lang="vi">Thanh toán bằng mã QR</name>
      <name lang="en-US">Paying by QR code</name>
      <description lang="vi">Quét mã an toàn.</description>
      <launch lang="vi">res/index.html</launch>
    </activity>
    <activity id="http://ispringsolutions.com/tincan/9A3F2C1E-5B7D-4E0A-8C6F-1D2E3F4A5B6C/slide1" type="http://adlnet.gov/expapi/activities/module">
      <name lang="vi">Mã QR là gì</name>
    </activity>
    <activity id="http://ispringsolutions.com/tincan/9A3F2C1E-5B7D-4E0A-8C6F-1D2E3F4A5B6C/quiz" type="http://adlnet.gov/expapi/activities/assessment">
      <name lang="vi">Kiểm tra</name>
      <description lang="vi">Năm câu hỏi.</description>
    </activity>
  </activities>
</tincan>
`;
  return {
    'tincan.xml': xml,
    'res/index.html': page('Thanh toán bằng mã QR', '<script src="data/player.js"></script>'),
    'res/data/player.js': 'var slides = ["slide1.js", "slide2.js"];\n',
    'res/data/slide1.js': 'var s1 = 1;\n',
    'res/data/slide2.js': 'var s2 = 2;\n',
  };
}
