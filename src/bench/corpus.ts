// Synthetic, deterministic benchmark corpus: a complete hocso project with N Vietnamese lessons.
//
// `generateCorpus(dir, lessons, seed)` writes, under `dir`:
//   hocso.config.yaml                 courses: [courses/bench], frameworks: <repo>/content/frameworks
//   courses/bench/course.yaml         one course, modules of 20 lessons
//   courses/bench/lessons/bai-0001.md … one lesson per file, ~4–6 KB of realistic Markdown
//
// Every lesson follows the author's format of the README: front matter with valid tt02 codes,
// `##`/`###` sections, lists, a GFM table every few lessons, links to other lessons, callouts,
// a `:::steps` block and two quizzes. No images or media, so the corpus needs no binary files.
// The same (lessons, seed) always produces byte-identical files.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Package root: dist/bench/corpus.js → ../.. (the same from src/bench when run through a TS loader). */
export const BENCH_PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_FRAMEWORKS_DIR = path.join(BENCH_PACKAGE_ROOT, 'content', 'frameworks');

export const LESSONS_PER_MODULE = 20;
const MIN_BYTES = 4 * 1024;
const MAX_BYTES = 6 * 1024;

/** The lesson file name of lesson number `i` (1-based): bai-0001.md. */
export function lessonFileName(i: number): string {
  return `bai-${String(i).padStart(4, '0')}.md`;
}

// ---------------------------------------------------------------------------------------------
// Deterministic pseudo-random numbers (mulberry32).

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = a;
    }
    return copy.slice(0, Math.min(count, copy.length));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Draws items without repetition until the pool is exhausted, then reshuffles. */
class Deck<T> {
  private queue: T[] = [];
  constructor(
    private readonly rng: Rng,
    private readonly items: readonly T[],
  ) {}
  draw(): T {
    if (this.queue.length === 0) this.queue = this.rng.sample(this.items, this.items.length);
    return this.queue.pop() as T;
  }
  drawMany(count: number): T[] {
    return Array.from({ length: count }, () => this.draw());
  }
}

// ---------------------------------------------------------------------------------------------
// Content pools (real Vietnamese sentences about everyday digital skills).

interface Topic {
  name: string;
  titles: string[];
  keywords: string[];
  codes: string[];
}

const TOPICS: Topic[] = [
  {
    name: 'VNeID',
    titles: ['Dùng ứng dụng VNeID hằng ngày', 'Tích hợp giấy tờ vào VNeID', 'Kích hoạt tài khoản định danh điện tử'],
    keywords: ['VNeID', 'định danh điện tử', 'căn cước', 'passcode'],
    codes: ['2.6', '2.3', '4.2'],
  },
  {
    name: 'dịch vụ công',
    titles: ['Nộp hồ sơ trên Cổng Dịch vụ công quốc gia', 'Tra cứu kết quả thủ tục hành chính', 'Thanh toán lệ phí trực tuyến'],
    keywords: ['dịch vụ công', 'thủ tục hành chính', 'hồ sơ trực tuyến'],
    codes: ['2.3', '1.1', '5.2'],
  },
  {
    name: 'mật khẩu',
    titles: ['Đặt mật khẩu mạnh và dễ nhớ', 'Bật xác thực hai lớp', 'Quản lý nhiều mật khẩu an toàn'],
    keywords: ['mật khẩu', 'xác thực hai lớp', 'bảo mật'],
    codes: ['4.1', '4.2', '2.6'],
  },
  {
    name: 'lừa đảo',
    titles: ['Nhận biết cuộc gọi lừa đảo', 'Tin nhắn giả mạo ngân hàng', 'Lừa đảo mua bán trên mạng xã hội'],
    keywords: ['lừa đảo', 'OTP', 'tin nhắn giả', 'cảnh giác'],
    codes: ['4.2', '1.2', '2.1'],
  },
  {
    name: 'thanh toán',
    titles: ['Thanh toán bằng mã QR an toàn', 'Dùng ví điện tử đúng cách', 'Chuyển khoản qua ứng dụng ngân hàng'],
    keywords: ['mã QR', 'ví điện tử', 'chuyển khoản', 'ngân hàng số'],
    codes: ['2.1', '4.1', '5.2'],
  },
  {
    name: 'trí tuệ nhân tạo',
    titles: ['Hỏi trợ lý AI cho đúng cách', 'Kiểm tra câu trả lời của trợ lý AI', 'Nhận biết video giả do AI tạo ra'],
    keywords: ['trí tuệ nhân tạo', 'AI', 'trợ lý ảo', 'tin giả'],
    codes: ['6.1', '6.2', '6.3', '1.2'],
  },
  {
    name: 'tìm kiếm thông tin',
    titles: ['Tìm kiếm thông tin trên mạng hiệu quả', 'Đánh giá nguồn tin trên mạng', 'Lưu và sắp xếp tài liệu số'],
    keywords: ['tìm kiếm', 'nguồn tin', 'tin giả', 'tài liệu'],
    codes: ['1.1', '1.2', '1.3'],
  },
  {
    name: 'mạng xã hội',
    titles: ['Ứng xử văn minh trên mạng xã hội', 'Cài đặt quyền riêng tư trên Facebook và Zalo', 'Chia sẻ thông tin có trách nhiệm'],
    keywords: ['mạng xã hội', 'Zalo', 'Facebook', 'quyền riêng tư'],
    codes: ['2.5', '2.2', '4.2'],
  },
  {
    name: 'email',
    titles: ['Tạo và dùng hộp thư điện tử', 'Gửi thư điện tử kèm tệp đính kèm', 'Nhận biết thư điện tử giả mạo'],
    keywords: ['email', 'thư điện tử', 'tệp đính kèm'],
    codes: ['2.1', '2.2', '4.2'],
  },
  {
    name: 'họp trực tuyến',
    titles: ['Tham gia cuộc họp trực tuyến', 'Học trực tuyến cùng con cháu', 'Làm việc nhóm trên tài liệu chung'],
    keywords: ['họp trực tuyến', 'học trực tuyến', 'làm việc nhóm'],
    codes: ['2.4', '2.1', '5.4'],
  },
  {
    name: 'soạn thảo',
    titles: ['Soạn văn bản trên điện thoại', 'Chụp và gửi ảnh giấy tờ rõ nét', 'Tạo bảng tính chi tiêu gia đình'],
    keywords: ['soạn thảo', 'văn bản', 'bảng tính', 'ảnh chụp'],
    codes: ['3.1', '3.2', '3.3', '3.4'],
  },
  {
    name: 'sức khỏe số',
    titles: ['Dùng điện thoại điều độ, bảo vệ sức khỏe', 'Bảo vệ trẻ em trên mạng', 'Tiết kiệm pin và dữ liệu di động'],
    keywords: ['sức khỏe', 'trẻ em', 'thời gian dùng màn hình'],
    codes: ['4.3', '4.4', '2.5'],
  },
  {
    name: 'thiết bị',
    titles: ['Cập nhật phần mềm cho điện thoại', 'Sao lưu ảnh và danh bạ', 'Xử lý khi điện thoại chạy chậm'],
    keywords: ['cập nhật', 'sao lưu', 'điện thoại', 'sự cố'],
    codes: ['5.1', '5.2', '5.3', '4.1'],
  },
];

const SENTENCES: string[] = [
  'Ngày nay, nhiều việc hằng ngày có thể làm ngay trên chiếc điện thoại thông minh.',
  'Bạn không cần giỏi công nghệ, chỉ cần làm chậm rãi và đúng từng bước.',
  'Nếu chưa quen, hãy nhờ con cháu hoặc cán bộ tổ công nghệ số cộng đồng hướng dẫn lần đầu.',
  'Mỗi tài khoản quan trọng nên có một mật khẩu riêng, không dùng chung cho nhiều nơi.',
  'Kẻ gian thường lợi dụng lúc bạn vội vàng hoặc lo lắng để lừa lấy thông tin.',
  'Hãy dừng lại vài giây và tự hỏi: người này có thật sự là người mình biết không?',
  'Ứng dụng chính thức chỉ nên tải từ CH Play hoặc App Store.',
  'Đường link lạ gửi qua tin nhắn có thể dẫn đến trang web giả mạo rất giống trang thật.',
  'Mã OTP là mật khẩu dùng một lần, tuyệt đối không đọc cho bất kỳ ai.',
  'Cổng Dịch vụ công quốc gia giúp bạn nộp hồ sơ mà không phải xếp hàng chờ đợi.',
  'Khi làm thủ tục trực tuyến, bạn nên chuẩn bị sẵn ảnh chụp rõ nét của giấy tờ.',
  'Thông tin cá nhân như số căn cước, ngày sinh và địa chỉ cần được giữ kín.',
  'Trước khi chia sẻ một tin tức, hãy kiểm tra xem tin đó đến từ nguồn nào.',
  'Các báo điện tử chính thống và trang web của cơ quan nhà nước thường có tên miền rõ ràng.',
  'Tin giật gân, giọng văn kích động là dấu hiệu bạn cần đọc kỹ hơn.',
  'Trợ lý trí tuệ nhân tạo có thể trả lời sai, vì vậy hãy kiểm tra lại những thông tin quan trọng.',
  'Đừng nhập số tài khoản, mật khẩu hay thông tin sức khỏe vào trợ lý AI.',
  'Video và giọng nói giả do AI tạo ra ngày càng giống thật.',
  'Khi người thân nhắn tin mượn tiền gấp, hãy gọi điện trực tiếp để xác minh.',
  'Quét mã QR giúp thanh toán nhanh, nhưng bạn cần xem kỹ tên người nhận trước khi bấm xác nhận.',
  'Ở chợ và cửa hàng, kẻ gian có thể dán đè mã QR giả lên mã thật.',
  'Ví điện tử và ứng dụng ngân hàng đều có mục lịch sử giao dịch để bạn kiểm tra lại.',
  'Cập nhật phần mềm thường xuyên giúp điện thoại vá các lỗ hổng bảo mật.',
  'Sao lưu ảnh và danh bạ lên tài khoản đám mây giúp bạn không mất dữ liệu khi hỏng máy.',
  'Mạng Wi-Fi công cộng ở quán cà phê không an toàn để đăng nhập ngân hàng.',
  'Xác thực hai lớp bảo vệ tài khoản ngay cả khi kẻ gian biết mật khẩu của bạn.',
  'Một mật khẩu tốt nên dài ít nhất 12 ký tự và khó đoán với người khác.',
  'Cụm từ gồm vài từ ngẫu nhiên vừa dễ nhớ vừa khó bị đoán ra.',
  'Trên mạng xã hội, lời nói cũng cần lịch sự như khi nói chuyện trực tiếp.',
  'Ảnh của trẻ em không nên đăng công khai kèm tên trường và địa chỉ nhà.',
  'Bạn có thể chỉnh quyền riêng tư để chỉ bạn bè mới xem được bài đăng.',
  'Thư điện tử giả mạo thường có lỗi chính tả và địa chỉ người gửi lạ.',
  'Không mở tệp đính kèm từ người lạ, nhất là tệp có đuôi lạ.',
  'Họp trực tuyến tiện lợi, nhưng bạn nên tắt micro khi không nói để tránh tiếng ồn.',
  'Tài liệu dùng chung giúp cả nhóm cùng sửa một văn bản mà không phải gửi đi gửi lại.',
  'Dùng điện thoại quá lâu dễ gây mỏi mắt, đau cổ và mất ngủ.',
  'Hãy đặt giờ nghỉ và tắt thông báo không cần thiết vào buổi tối.',
  'Nếu điện thoại chạy chậm, hãy xóa bớt ứng dụng không dùng và khởi động lại máy.',
  'Người lớn tuổi học công nghệ số nhanh hơn khi được thực hành nhiều lần với ví dụ quen thuộc.',
  'Phong trào "Bình dân học vụ số" giúp mọi người dân tiếp cận kỹ năng số cơ bản.',
  'Mỗi khi gặp điều gì lạ, bạn có thể hỏi cán bộ xã, phường hoặc gọi tổng đài hỗ trợ.',
  'Trang canhbao.khonggianmang.gov.vn giúp tra cứu các trang web và số tài khoản lừa đảo.',
  'Số 156 tiếp nhận phản ánh cuộc gọi rác và cuộc gọi lừa đảo.',
  'Khi đã lỡ chuyển tiền cho kẻ gian, hãy gọi ngay tổng đài ngân hàng để yêu cầu phong tỏa.',
  'Biên lai điện tử và ảnh chụp màn hình là bằng chứng quan trọng khi trình báo.',
  'Tài khoản định danh điện tử mức 2 dùng được đầy đủ tiện ích của VNeID.',
  'Giấy phép lái xe và thẻ bảo hiểm y tế có thể tích hợp vào Ví giấy tờ của VNeID.',
  'Khi tìm kiếm trên mạng, hãy dùng từ khóa ngắn gọn và cụ thể.',
  'Kết quả đầu tiên chưa chắc là kết quả đáng tin nhất, đôi khi đó chỉ là quảng cáo.',
  'Bạn nên so sánh thông tin từ ít nhất hai nguồn khác nhau.',
  'Đặt tên tệp rõ ràng, có ngày tháng, giúp bạn tìm lại tài liệu dễ dàng.',
  'Bảng tính giúp ghi chép chi tiêu trong gia đình và tự động cộng tổng.',
  'Chụp ảnh giấy tờ ở nơi đủ sáng, đặt giấy trên nền phẳng và giữ máy thẳng.',
  'Nhiều ứng dụng xin quyền truy cập danh bạ, vị trí mà không thật sự cần.',
  'Bạn có quyền từ chối cấp quyền cho ứng dụng khi thấy không hợp lý.',
  'Trẻ em cần được cha mẹ đồng hành khi bắt đầu dùng Internet.',
  'Những trò chơi trực tuyến có thể khiến trẻ tiêu tiền thật mà cha mẹ không biết.',
  'Hãy nói chuyện cởi mở với con về những điều con gặp trên mạng.',
  'Tôn trọng bản quyền nghĩa là không tự ý sao chép tác phẩm của người khác để kiếm lời.',
  'Khi dùng ảnh trên mạng, hãy ghi rõ nguồn hoặc chọn ảnh được phép dùng miễn phí.',
];

const EMPHASIS_SENTENCES: string[] = [
  'Điều quan trọng nhất là **không bao giờ đọc mã OTP** cho người khác.',
  'Hãy nhớ: _cơ quan nhà nước không yêu cầu chuyển tiền qua điện thoại_.',
  'Luôn kiểm tra **tên người nhận** trước khi xác nhận chuyển khoản.',
  'Nếu thấy nghi ngờ, cách an toàn nhất là _dừng lại và hỏi người tin cậy_.',
  'Mật khẩu chỉ có tác dụng khi **chỉ một mình bạn biết**.',
  'Thông tin trên mạng _không phải lúc nào cũng đúng_, kể cả khi được nhiều người chia sẻ.',
  'Một cú bấm vội vàng có thể khiến bạn **mất cả tài khoản**.',
  'Hãy tập thói quen _đọc kỹ trước khi bấm_ vào bất cứ nút nào.',
  'Ứng dụng thật của ngân hàng **không gửi đường link** qua tin nhắn để bạn đăng nhập.',
  'Bạn hoàn toàn có thể tự làm được, chỉ cần _kiên nhẫn và thực hành nhiều lần_.',
];

const SECTION_HEADINGS: string[] = [
  'Vì sao cần biết điều này?',
  'Những điều cần chuẩn bị',
  'Các bước thực hiện',
  'Dấu hiệu cần cảnh giác',
  'Khi gặp sự cố, bạn làm gì?',
  'Mẹo nhỏ cho người mới',
  'Ví dụ trong cuộc sống hằng ngày',
  'Bảo vệ thông tin cá nhân',
  'Những sai lầm thường gặp',
  'Hỏi đáp nhanh',
  'Thực hành cùng người thân',
  'Tóm tắt bài học',
  'Hiểu đúng về khái niệm',
  'Nơi nhờ trợ giúp',
];

const SUBSECTION_HEADINGS: string[] = [
  'Trên điện thoại Android',
  'Trên iPhone',
  'Khi dùng máy tính',
  'Với người lớn tuổi',
  'Với trẻ em trong nhà',
  'Trường hợp khẩn cấp',
  'Lưu ý về bảo mật',
  'Kiểm tra lại kết quả',
  'Một tình huống thực tế',
  'Điều nên làm',
  'Điều không nên làm',
  'Câu hỏi thường gặp',
];

const BULLETS: string[] = [
  '**Kiểm tra người gửi** trước khi mở tin nhắn hoặc thư.',
  'Không bấm vào đường link lạ, kể cả khi tin nhắn có vẻ khẩn cấp.',
  'Dùng mật khẩu khác nhau cho **ngân hàng**, **email** và **mạng xã hội**.',
  'Bật khóa màn hình bằng mã số hoặc vân tay.',
  'Cập nhật ứng dụng khi có thông báo từ CH Play hoặc App Store.',
  'Lưu số tổng đài chính thức của ngân hàng vào danh bạ.',
  'Sao lưu ảnh, danh bạ mỗi tháng một lần.',
  '_Không_ đăng ảnh giấy tờ tùy thân lên mạng xã hội.',
  'Hỏi lại người thân bằng cuộc gọi trực tiếp khi họ nhắn mượn tiền.',
  'Đọc kỹ điều khoản trước khi bấm **Đồng ý**.',
  'Tắt Wi-Fi và Bluetooth khi không dùng đến.',
  'Ghi lại mã hồ sơ sau khi nộp thủ tục trực tuyến.',
  'Kiểm tra tên miền trang web, ví dụ đuôi **.gov.vn** của cơ quan nhà nước.',
  'Chỉ cài ứng dụng từ cửa hàng chính thức.',
  'Đặt giới hạn thời gian dùng điện thoại cho trẻ.',
  'Chụp màn hình làm bằng chứng khi nghi bị lừa.',
  'Đăng xuất tài khoản khi dùng máy tính chung.',
  'Xóa các ứng dụng lâu không dùng để giải phóng bộ nhớ.',
  'Dùng từ khóa cụ thể khi tìm kiếm, ví dụ "lịch tiêm chủng phường".',
  'So sánh thông tin với **ít nhất hai nguồn** đáng tin cậy.',
  'Tắt micro khi không phát biểu trong cuộc họp trực tuyến.',
  'Đặt tên tệp có ngày tháng, ví dụ `chi-tieu-2025-03.xlsx`.',
  'Hỏi trợ lý AI bằng câu rõ ràng, nêu đủ bối cảnh.',
  'Không nhập số căn cước, số tài khoản vào trợ lý AI.',
  'Báo ngay cho ngân hàng khi thấy giao dịch lạ.',
  'Giữ bình tĩnh, _không làm theo_ lời hối thúc của người lạ.',
];

const STEP_SETS: string[][] = [
  [
    'Mở ứng dụng **Cài đặt** trên điện thoại.',
    'Chọn mục **Bảo mật** hoặc **Mật khẩu và bảo mật**.',
    'Bấm **Xác thực hai lớp**, rồi chọn **Bật**.',
    'Nhập mã xác nhận được gửi về số điện thoại của bạn.',
    'Lưu các mã dự phòng vào nơi an toàn.',
  ],
  [
    'Dừng lại, không bấm vào đường link trong tin nhắn.',
    'Tìm số tổng đài in trên thẻ ngân hàng.',
    'Tự gọi vào số tổng đài đó để hỏi lại.',
    'Xóa tin nhắn đáng ngờ và chặn số gửi.',
  ],
  [
    'Mở trình duyệt và vào trang **dichvucong.gov.vn**.',
    'Bấm **Đăng nhập**, chọn đăng nhập bằng tài khoản định danh điện tử.',
    'Tìm tên thủ tục cần làm trong ô tìm kiếm.',
    'Điền thông tin và tải ảnh giấy tờ lên.',
    'Kiểm tra lại rồi bấm **Nộp hồ sơ**.',
    'Ghi lại mã hồ sơ để tra cứu về sau.',
  ],
  [
    'Mở ứng dụng ngân hàng và chọn **Quét mã QR**.',
    'Đưa camera vào mã QR của người bán.',
    'Đọc kỹ **tên người nhận** hiện trên màn hình.',
    'Nhập số tiền và bấm **Xác nhận**.',
    'Chờ thông báo giao dịch thành công rồi mới rời đi.',
  ],
  [
    'Mở ứng dụng **Ảnh** hoặc **Google Photos**.',
    'Vào phần cài đặt và chọn **Sao lưu**.',
    'Bật sao lưu khi có Wi-Fi để tiết kiệm dữ liệu di động.',
    'Kiểm tra lại sau một ngày xem ảnh đã được sao lưu chưa.',
  ],
  [
    'Mở đường link cuộc họp do người tổ chức gửi.',
    'Nhập tên thật của bạn để mọi người dễ nhận ra.',
    'Kiểm tra micro và camera trước khi vào phòng.',
    'Tắt micro khi không nói, bấm **Giơ tay** khi muốn phát biểu.',
  ],
  [
    'Mở trợ lý AI và viết câu hỏi ngắn gọn, rõ ràng.',
    'Nêu bối cảnh, ví dụ bạn là ai và cần làm gì.',
    'Đọc câu trả lời và đánh dấu những ý cần kiểm tra.',
    'Tra cứu lại thông tin quan trọng trên trang chính thức.',
  ],
  [
    'Chụp màn hình tin nhắn, cuộc gọi và biên lai chuyển tiền.',
    'Gọi ngay tổng đài ngân hàng để yêu cầu phong tỏa tài khoản.',
    'Đổi mật khẩu các tài khoản quan trọng.',
    'Đến công an xã, phường gần nhất để trình báo.',
    'Báo cho người thân biết để họ cùng cảnh giác.',
  ],
  [
    'Vào **Cài đặt**, chọn **Giới thiệu về điện thoại** hoặc **Cập nhật phần mềm**.',
    'Bấm **Kiểm tra bản cập nhật**.',
    'Cắm sạc và kết nối Wi-Fi trước khi cài.',
    'Bấm **Tải về và cài đặt**, chờ máy khởi động lại.',
  ],
];

const TIPS: string[] = [
  'Lưu số tổng đài chính thức của ngân hàng vào danh bạ để gọi khi cần.',
  'Viết mật khẩu dự phòng vào sổ và cất ở nơi kín đáo trong nhà, không chụp ảnh lưu trên điện thoại.',
  'Nhờ con cháu cùng thực hành lần đầu, lần sau bạn sẽ tự tin làm một mình.',
  'Bật chế độ chữ lớn trong phần cài đặt nếu bạn thấy chữ trên màn hình quá nhỏ.',
  'Dùng tính năng ghi chú giọng nói nếu gõ chữ trên điện thoại còn chậm.',
  'Hầu hết ứng dụng có mục **Trợ giúp** hoặc **Hỏi đáp**, hãy đọc trước khi gọi tổng đài.',
  'Đặt lịch nhắc sao lưu dữ liệu vào ngày đầu mỗi tháng.',
  'Khi tìm kiếm, thêm từ "gov.vn" để ưu tiên trang của cơ quan nhà nước.',
];

const WARNINGS: Array<[string, string]> = [
  ['Cảnh giác', 'Không ai có quyền hỏi mã OTP của bạn, kể cả người xưng là công an hay nhân viên ngân hàng.'],
  ['Không chuyển tiền vội', 'Cơ quan công an làm việc bằng giấy mời, không bao giờ yêu cầu chuyển tiền qua điện thoại.'],
  ['Đường link giả', 'Trang web giả có thể giống hệt trang thật. Hãy tự gõ địa chỉ trang web thay vì bấm link.'],
  ['Giữ bí mật', 'Không đọc mật khẩu, passcode hay mã OTP cho bất kỳ ai, kể cả người thân qua điện thoại.'],
  ['Video giả', 'Kẻ gian có thể giả giọng nói và khuôn mặt người quen. Hãy gọi lại bằng số điện thoại quen để xác minh.'],
  ['Ứng dụng lạ', 'Không cài ứng dụng từ đường link người lạ gửi. Ứng dụng giả có thể đọc trộm tin nhắn và mã OTP.'],
];

const NOTES: string[] = [
  'Giao diện ứng dụng có thể khác đôi chút tùy loại điện thoại, nhưng các bước chính vẫn giống nhau.',
  'Một số thủ tục vẫn cần bạn đến trực tiếp cơ quan để đối chiếu giấy tờ gốc.',
  'Nếu quên mật khẩu, hãy dùng chức năng **Quên mật khẩu** của chính ứng dụng, không nhờ người lạ.',
];

const TABLES: string[] = [
  [
    '| Loại tài khoản | Cách đăng ký | Tiện ích |',
    '|---|---|---|',
    '| Mức 1 | Tự đăng ký trên ứng dụng | Một số tiện ích cơ bản |',
    '| Mức 2 | Đăng ký tại công an xã, phường | Đầy đủ tiện ích, giấy tờ điện tử |',
  ].join('\n'),
  [
    '| Mật khẩu | Đánh giá | Lý do |',
    '|---|---|---|',
    '| `123456` | Rất yếu | Ai cũng đoán được |',
    '| `ngaysinh1960` | Yếu | Dễ đoán từ thông tin cá nhân |',
    '| `ca-phe-sang-mua-xuan-72` | Mạnh | Dài, gồm nhiều từ ngẫu nhiên |',
  ].join('\n'),
  [
    '| Số điện thoại | Dùng khi nào |',
    '|---|---|',
    '| **113** | Cần công an giúp đỡ khẩn cấp |',
    '| **156** | Phản ánh cuộc gọi rác, lừa đảo |',
    '| **5656** | Phản ánh tin nhắn rác |',
    '| Tổng đài ngân hàng | Khóa thẻ, khóa tài khoản khi bị lừa |',
  ].join('\n'),
  [
    '| Cách thanh toán | Ưu điểm | Cần lưu ý |',
    '|---|---|---|',
    '| Tiền mặt | Quen thuộc | Phải mang theo, khó trả lại tiền lẻ |',
    '| Quét mã QR | Nhanh, không cần tiền lẻ | Kiểm tra tên người nhận |',
    '| Ví điện tử | Tiện mua hàng trực tuyến | Bảo vệ mật khẩu ví |',
  ].join('\n'),
  [
    '| Nguồn tin | Mức tin cậy | Ghi chú |',
    '|---|---|---|',
    '| Trang web đuôi `.gov.vn` | Cao | Trang của cơ quan nhà nước |',
    '| Báo điện tử chính thống | Khá cao | Có tòa soạn, có tác giả |',
    '| Bài chia sẻ trên mạng xã hội | Thấp | Cần kiểm tra lại |',
  ].join('\n'),
];

const OBJECTIVES: string[] = [
  'Nhận ra các dấu hiệu lừa đảo thường gặp trên mạng',
  'Tự thực hiện được các bước cơ bản trên điện thoại',
  'Biết giữ bí mật mật khẩu và mã OTP',
  'Biết nơi nhờ trợ giúp khi gặp sự cố',
  'Đặt được mật khẩu mạnh cho tài khoản quan trọng',
  'Kiểm tra được độ tin cậy của một nguồn tin',
  'Thanh toán bằng mã QR an toàn',
  'Nộp được một hồ sơ trực tuyến đơn giản',
  'Dùng trợ lý AI và kiểm tra lại câu trả lời',
  'Cài đặt quyền riêng tư cho tài khoản mạng xã hội',
  'Sao lưu ảnh và danh bạ lên tài khoản đám mây',
  'Hướng dẫn lại cho người thân trong gia đình',
  'Ứng xử lịch sự, có trách nhiệm trên mạng',
  'Bảo vệ trẻ em khi dùng Internet',
];

const LINK_TEXTS: string[] = ['bài trước', 'bài về mật khẩu an toàn', 'bài nhận biết lừa đảo', 'bài tiếp theo', 'bài liên quan', 'phần hướng dẫn chi tiết'];

const MODULE_TITLES: string[] = [
  'Làm quen với điện thoại thông minh',
  'Định danh điện tử và dịch vụ công',
  'An toàn trên không gian mạng',
  'Thanh toán số',
  'Thông tin và truyền thông',
  'Trí tuệ nhân tạo trong đời sống',
  'Giao tiếp và hợp tác trực tuyến',
  'Sức khỏe và hạnh phúc số',
];

interface Choice {
  correct: boolean;
  text: string;
  feedback: string;
}
interface QuizTemplate {
  question: string;
  choices: Choice[];
}
type QuizType = 'single' | 'multiple' | 'truefalse' | 'fill';

const QUIZZES: Record<QuizType, QuizTemplate[]> = {
  single: [
    {
      question: 'Có người gọi điện xưng là nhân viên ngân hàng và xin mã OTP. Bạn làm gì?',
      choices: [
        { correct: false, text: 'Đọc mã OTP cho họ.', feedback: 'Sai. Ngân hàng không bao giờ hỏi mã OTP.' },
        { correct: true, text: 'Từ chối, dập máy và gọi lại tổng đài chính thức.', feedback: 'Đúng. Luôn tự gọi lại số chính thức.' },
        { correct: false, text: 'Hỏi tên người gọi rồi đọc mã.', feedback: 'Chưa đúng. Biết tên cũng không làm cuộc gọi an toàn hơn.' },
      ],
    },
    {
      question: 'Bạn nên tải ứng dụng VNeID từ đâu?',
      choices: [
        { correct: false, text: 'Đường link do người lạ gửi qua Zalo.', feedback: 'Sai. Đường link lạ có thể cài ứng dụng giả.' },
        { correct: true, text: 'CH Play hoặc App Store.', feedback: 'Đúng. Đây là cửa hàng ứng dụng chính thức.' },
        { correct: false, text: 'Bất kỳ trang web nào có chữ "VNeID".', feedback: 'Chưa đúng. Trang web giả cũng có thể dùng chữ đó.' },
      ],
    },
    {
      question: 'Mật khẩu nào dưới đây an toàn nhất?',
      choices: [
        { correct: false, text: '123456', feedback: 'Sai. Đây là mật khẩu dễ đoán nhất.' },
        { correct: false, text: 'Ngày sinh của bạn', feedback: 'Chưa đúng. Người khác dễ biết ngày sinh của bạn.' },
        { correct: true, text: 'Một cụm gồm nhiều từ ngẫu nhiên, dài trên 12 ký tự', feedback: 'Đúng. Mật khẩu dài và ngẫu nhiên rất khó đoán.' },
      ],
    },
    {
      question: 'Trước khi bấm xác nhận thanh toán bằng mã QR, bạn cần kiểm tra điều gì?',
      choices: [
        { correct: true, text: 'Tên người nhận hiện trên màn hình.', feedback: 'Đúng. Tên người nhận phải khớp với người bán.' },
        { correct: false, text: 'Màu sắc của mã QR.', feedback: 'Sai. Màu sắc không cho biết mã thật hay giả.' },
        { correct: false, text: 'Không cần kiểm tra gì.', feedback: 'Sai. Mã QR có thể bị dán đè bằng mã giả.' },
      ],
    },
    {
      question: 'Trợ lý AI trả lời một câu hỏi về thủ tục hành chính. Bạn nên làm gì?',
      choices: [
        { correct: false, text: 'Tin ngay vì máy không bao giờ sai.', feedback: 'Sai. Trợ lý AI có thể trả lời sai hoặc lỗi thời.' },
        { correct: true, text: 'Kiểm tra lại trên trang chính thức của cơ quan nhà nước.', feedback: 'Đúng. Luôn đối chiếu thông tin quan trọng.' },
        { correct: false, text: 'Chia sẻ ngay lên mạng xã hội.', feedback: 'Chưa đúng. Hãy kiểm tra trước khi chia sẻ.' },
      ],
    },
  ],
  multiple: [
    {
      question: 'Những dấu hiệu nào cho thấy có thể là lừa đảo? Chọn tất cả câu đúng.',
      choices: [
        { correct: true, text: 'Giục bạn làm ngay, dọa khóa tài khoản.', feedback: 'Đúng. Hối thúc và đe dọa là dấu hiệu rõ nhất.' },
        { correct: true, text: 'Đòi bạn đọc mã OTP.', feedback: 'Đúng. Không ai được hỏi mã OTP.' },
        { correct: false, text: 'Ngân hàng gửi tin báo số dư sau khi bạn tự chuyển tiền.', feedback: 'Chưa đúng. Đây là tin nhắn bình thường.' },
      ],
    },
    {
      question: 'Những thông tin nào bạn không nên nhập vào trợ lý AI? Chọn tất cả câu đúng.',
      choices: [
        { correct: true, text: 'Số tài khoản ngân hàng và mật khẩu.', feedback: 'Đúng. Đây là thông tin bí mật.' },
        { correct: true, text: 'Số căn cước của bạn.', feedback: 'Đúng. Số căn cước là thông tin cá nhân cần giữ kín.' },
        { correct: false, text: 'Câu hỏi về cách nấu một món ăn.', feedback: 'Chưa đúng. Câu hỏi thông thường thì không sao.' },
        { correct: true, text: 'Kết quả xét nghiệm sức khỏe kèm họ tên.', feedback: 'Đúng. Thông tin sức khỏe cũng cần bảo vệ.' },
      ],
    },
    {
      question: 'Những việc nào giúp tài khoản của bạn an toàn hơn? Chọn tất cả câu đúng.',
      choices: [
        { correct: true, text: 'Bật xác thực hai lớp.', feedback: 'Đúng. Kẻ gian cần thêm mã xác thực mới đăng nhập được.' },
        { correct: false, text: 'Dùng một mật khẩu cho mọi tài khoản.', feedback: 'Sai. Lộ một mật khẩu là lộ tất cả.' },
        { correct: true, text: 'Cập nhật ứng dụng thường xuyên.', feedback: 'Đúng. Bản cập nhật vá các lỗ hổng bảo mật.' },
      ],
    },
    {
      question: 'Nguồn nào đáng tin cậy khi tìm thông tin về thủ tục hành chính? Chọn tất cả câu đúng.',
      choices: [
        { correct: true, text: 'Cổng Dịch vụ công quốc gia.', feedback: 'Đúng. Đây là trang chính thức.' },
        { correct: true, text: 'Trang web của Ủy ban nhân dân xã, phường.', feedback: 'Đúng. Trang của cơ quan nhà nước đáng tin cậy.' },
        { correct: false, text: 'Một bài chia sẻ không rõ tác giả trên mạng xã hội.', feedback: 'Chưa đúng. Bài chia sẻ cần được kiểm tra lại.' },
      ],
    },
  ],
  truefalse: [
    {
      question: 'Công an có thể gọi điện yêu cầu bạn chuyển tiền để "xác minh" vụ án.',
      choices: [
        { correct: false, text: 'Đúng', feedback: 'Sai rồi. Công an không yêu cầu chuyển tiền qua điện thoại.' },
        { correct: true, text: 'Sai', feedback: 'Chính xác. Đây là chiêu giả danh công an.' },
      ],
    },
    {
      question: 'Bật xác thực hai lớp giúp bảo vệ tài khoản ngay cả khi lộ mật khẩu.',
      choices: [
        { correct: true, text: 'Đúng', feedback: 'Chính xác. Kẻ gian còn cần mã xác thực thứ hai.' },
        { correct: false, text: 'Sai', feedback: 'Chưa đúng. Xác thực hai lớp thêm một lớp bảo vệ nữa.' },
      ],
    },
    {
      question: 'Mạng Wi-Fi miễn phí ở quán cà phê an toàn để đăng nhập ngân hàng.',
      choices: [
        { correct: false, text: 'Đúng', feedback: 'Sai rồi. Wi-Fi công cộng có thể bị nghe lén.' },
        { correct: true, text: 'Sai', feedback: 'Chính xác. Hãy dùng dữ liệu di động khi giao dịch ngân hàng.' },
      ],
    },
    {
      question: 'Trợ lý AI luôn trả lời đúng nên không cần kiểm tra lại.',
      choices: [
        { correct: false, text: 'Đúng', feedback: 'Sai rồi. Trợ lý AI có thể bịa ra thông tin.' },
        { correct: true, text: 'Sai', feedback: 'Chính xác. Hãy kiểm tra thông tin quan trọng ở nguồn chính thức.' },
      ],
    },
    {
      question: 'Sao lưu ảnh lên tài khoản đám mây giúp bạn không mất ảnh khi hỏng điện thoại.',
      choices: [
        { correct: true, text: 'Đúng', feedback: 'Chính xác. Ảnh vẫn còn trên tài khoản của bạn.' },
        { correct: false, text: 'Sai', feedback: 'Chưa đúng. Sao lưu chính là để giữ dữ liệu an toàn.' },
      ],
    },
  ],
  fill: [
    {
      question: 'Để phản ánh cuộc gọi rác, cuộc gọi lừa đảo, bạn gọi số ___.',
      choices: [
        { correct: true, text: '156', feedback: 'Đúng. Số 156 nhận phản ánh cuộc gọi rác.' },
        { correct: false, text: '113', feedback: 'Chưa đúng. 113 là số khẩn cấp của công an.' },
      ],
    },
    {
      question: 'Mã passcode của VNeID gồm ___ chữ số.',
      choices: [
        { correct: true, text: '6', feedback: 'Đúng. Passcode có 6 chữ số.' },
        { correct: true, text: 'sáu', feedback: 'Đúng. Passcode có sáu chữ số.' },
        { correct: false, text: '4', feedback: 'Chưa đúng. Passcode VNeID dài hơn thế.' },
      ],
    },
    {
      question: 'Mật khẩu dùng một lần mà ngân hàng gửi qua tin nhắn gọi là mã ___.',
      choices: [
        { correct: true, text: 'OTP', feedback: 'Đúng. Mã OTP chỉ dùng được một lần.' },
        { correct: false, text: 'PIN', feedback: 'Chưa đúng. Mã PIN là mã bạn tự đặt cho thẻ.' },
      ],
    },
    {
      question: 'Trang web của cơ quan nhà nước Việt Nam thường có đuôi tên miền ___.',
      choices: [
        { correct: true, text: '.gov.vn', feedback: 'Đúng. Đuôi .gov.vn dành cho cơ quan nhà nước.' },
        { correct: true, text: 'gov.vn', feedback: 'Đúng. Đó là đuôi tên miền của cơ quan nhà nước.' },
        { correct: false, text: '.com', feedback: 'Chưa đúng. Đuôi .com ai cũng đăng ký được.' },
      ],
    },
  ],
};

const ALL_TT02_CODES: string[] = [
  '1.1', '1.2', '1.3',
  '2.1', '2.2', '2.3', '2.4', '2.5', '2.6',
  '3.1', '3.2', '3.3', '3.4',
  '4.1', '4.2', '4.3', '4.4',
  '5.1', '5.2', '5.3', '5.4',
  '6.1', '6.2', '6.3',
];

// ---------------------------------------------------------------------------------------------
// Lesson generation.

/** A YAML scalar: plain when unambiguous, double-quoted (JSON escapes are valid YAML) otherwise. */
function yamlScalar(value: string): string {
  const plainSafe =
    /^[\p{L}\p{N}][\p{L}\p{N} ,.'()\-–/]*$/u.test(value) && !/[:#]/.test(value) && !/^(true|false|yes|no|null|on|off|~)$/i.test(value) && !/^[0-9.+-]+$/.test(value);
  return plainSafe ? value : JSON.stringify(value);
}

/** Per-lesson state: sentence decks, so that a lesson does not repeat itself. */
interface Writer {
  rng: Rng;
  sentences: Deck<string>;
  emphasis: Deck<string>;
  bullets: Deck<string>;
  subheadings: Deck<string>;
}

function paragraph(w: Writer, min = 2, max = 4): string {
  const parts = w.sentences.drawMany(w.rng.int(min, max));
  if (w.rng.chance(0.45)) parts.splice(w.rng.int(0, parts.length), 0, w.emphasis.draw());
  return wrap(parts.join(' '));
}

/** Wraps prose at ~100 columns, as authors usually do. */
function wrap(text: string, width = 100): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    // Never start a line with something Markdown reads as a block marker (list, quote, heading).
    const startsBlock = /^([-+*>#=]|\d+[.)])/.test(word);
    if (line && line.length + 1 + word.length > width && !startsBlock) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function bulletList(w: Writer): string {
  return w.bullets
    .drawMany(w.rng.int(3, 5))
    .map((b) => `- ${b}`)
    .join('\n');
}

function numberedList(rng: Rng): string {
  return rng
    .pick(STEP_SETS)
    .slice(0, rng.int(3, 6))
    .map((s, i) => `${i + 1}. ${s}`)
    .join('\n');
}

function callout(rng: Rng): string {
  const r = rng.next();
  if (r < 0.4) return `:::tip\n${rng.pick(TIPS)}\n:::`;
  if (r < 0.85) {
    const [title, text] = rng.pick(WARNINGS);
    return `:::warning[${title}]\n${text}\n:::`;
  }
  return `:::note\n${rng.pick(NOTES)}\n:::`;
}

function stepsBlock(rng: Rng): string {
  const steps = rng.pick(STEP_SETS);
  return `:::steps\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n:::`;
}

function otherLesson(rng: Rng, self: number, total: number): number | undefined {
  if (total < 2) return undefined;
  const candidates = [self - 1, self + 1, rng.int(1, total)].filter((n) => n >= 1 && n <= total && n !== self);
  return candidates.length ? rng.pick(candidates) : undefined;
}

function linkParagraph(w: Writer, self: number, total: number): string | undefined {
  const target = otherLesson(w.rng, self, total);
  if (target === undefined) return undefined;
  const text = w.rng.pick(LINK_TEXTS);
  return wrap(`${w.sentences.draw()} Xem thêm [${text}](${lessonFileName(target)}) để hiểu rõ hơn.`);
}

function quiz(rng: Rng, id: string, type: QuizType): string {
  const template = rng.pick(QUIZZES[type]);
  let choices = template.choices;
  // Shuffle the order of single/multiple choices; true/false must stay (true, false); fill keeps order.
  if (type === 'single' || type === 'multiple') choices = rng.sample(choices, choices.length);
  const items = choices.map((c) => `- [${c.correct ? 'x' : ' '}] ${c.text}\n  > ${c.feedback}`).join('\n');
  return `::::quiz{#${id} type=${type}}\n${template.question}\n\n${items}\n::::`;
}

interface Section {
  heading: string;
  blocks: string[];
}

function renderLesson(frontMatter: string, intro: string, sections: Section[], quizzes: string): string {
  const body = sections.map((s) => `## ${s.heading}\n\n${s.blocks.join('\n\n')}`).join('\n\n');
  return `---\n${frontMatter}---\n\n${intro}\n\n${body}\n\n## Kiểm tra hiểu bài\n\n${quizzes}\n`;
}

/** The Markdown text of lesson `i` (1-based) out of `total`. Deterministic in (i, total, seed). */
export function generateLesson(i: number, total: number, seed = 1): string {
  const rng = new Rng(seed * 1_000_003 + i * 7919);
  const w: Writer = { rng, sentences: new Deck(rng, SENTENCES), emphasis: new Deck(rng, EMPHASIS_SENTENCES), bullets: new Deck(rng, BULLETS), subheadings: new Deck(rng, SUBSECTION_HEADINGS) };
  const topic = TOPICS[(i - 1) % TOPICS.length] as Topic;
  const baseTitle = rng.pick(topic.titles);
  const title = `${baseTitle} (bài ${i})`;

  // Front matter: 2–4 valid tt02 codes, most from the topic, levels 1–8.
  const codes = new Set<string>(rng.sample(topic.codes, rng.int(1, Math.min(3, topic.codes.length))));
  const wanted = rng.int(2, 4);
  while (codes.size < wanted) codes.add(rng.pick(ALL_TT02_CODES));
  const competencies = [...codes].map((c) => `  - tt02:${c}@${rng.int(1, 8)}`);
  const objectives = rng.sample(OBJECTIVES, rng.int(2, 4)).map((o) => `  - ${yamlScalar(o)}`);
  const keywords = rng.sample(topic.keywords, rng.int(2, topic.keywords.length)).map(yamlScalar);
  const frontMatter =
    `id: bai-${String(i).padStart(4, '0')}\n` +
    `title: ${yamlScalar(title)}\n` +
    `competencies:\n${competencies.join('\n')}\n` +
    `objectives:\n${objectives.join('\n')}\n` +
    `duration: PT15M\n` +
    `audience: [citizens]\n` +
    (rng.chance(0.3) ? `masteryScore: 0.8\n` : '') +
    `keywords: [${keywords.join(', ')}]\n`;

  const intro = paragraph(w, 2, 3);

  // 3–5 sections, some with ### subsections.
  const headings = rng.sample(SECTION_HEADINGS, rng.int(3, 5));
  const sections: Section[] = headings.map((heading) => ({ heading, blocks: [paragraph(w)] }));
  const at = (k: number): Section => sections[k % sections.length] as Section;

  at(0).blocks.push(bulletList(w));
  at(1).blocks.push(`${wrap(w.sentences.draw())}\n\n${numberedList(rng)}`);
  at(rng.int(0, sections.length - 1)).blocks.push(callout(rng));
  at(2).blocks.push(stepsBlock(rng));
  if (i % 3 === 0) at(rng.int(0, sections.length - 1)).blocks.push(rng.pick(TABLES));
  const link = linkParagraph(w, i, total);
  if (link) at(rng.int(0, sections.length - 1)).blocks.push(link);
  for (const s of sections) {
    if (rng.chance(0.5)) {
      s.blocks.push(`### ${w.subheadings.draw()}\n\n${paragraph(w, 1, 3)}`);
      if (rng.chance(0.4)) s.blocks.push(bulletList(w));
    }
  }

  // Two quizzes of different types.
  const types = rng.sample<QuizType>(['single', 'multiple', 'truefalse', 'fill'], 2);
  const quizzes = types.map((t, k) => quiz(rng, `q${k + 1}`, t)).join('\n\n');

  // Grow to a target size in [4 KB, 6 KB] with more prose (subsections or paragraphs).
  const target = rng.int(MIN_BYTES + 200, MAX_BYTES - 400);
  let text = renderLesson(frontMatter, intro, sections, quizzes);
  let guard = 0;
  while (Buffer.byteLength(text) < target && guard++ < 40) {
    const s = at(rng.int(0, sections.length - 1));
    const addition = rng.chance(0.3) ? `### ${w.subheadings.draw()}\n\n${paragraph(w, 2, 3)}` : paragraph(w, 2, 3);
    const grown = [...s.blocks, addition];
    const before = s.blocks;
    s.blocks = grown;
    const candidate = renderLesson(frontMatter, intro, sections, quizzes);
    if (Buffer.byteLength(candidate) > MAX_BYTES) {
      s.blocks = before;
      break;
    }
    text = candidate;
  }
  return text;
}

/** The course.yaml text for `total` lessons, in modules of LESSONS_PER_MODULE. */
export function generateCourseYaml(total: number): string {
  const lines = [
    'id: bench',
    'title: Khóa học đo hiệu năng',
    'description: Khóa học tổng hợp, sinh tự động, dùng để đo tốc độ biên dịch của hocso.',
    'language: vi',
    'frameworks: [tt02]',
    'modules:',
  ];
  const modules = Math.max(1, Math.ceil(total / LESSONS_PER_MODULE));
  for (let m = 0; m < modules; m++) {
    const num = String(m + 1).padStart(3, '0');
    lines.push(`  - id: phan-${num}`);
    lines.push(`    title: ${yamlScalar(`Phần ${m + 1}. ${MODULE_TITLES[m % MODULE_TITLES.length] as string}`)}`);
    lines.push('    lessons:');
    for (let i = m * LESSONS_PER_MODULE + 1; i <= Math.min(total, (m + 1) * LESSONS_PER_MODULE); i++) {
      lines.push(`      - lessons/${lessonFileName(i)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Writes a complete hocso project with `lessons` lessons into `dir` (created if missing).
 * Returns nothing; the lesson files are `dir/courses/bench/lessons/bai-NNNN.md`.
 */
export function generateCorpus(dir: string, lessons: number, seed = 1): void {
  if (!Number.isInteger(lessons) || lessons < 1) throw new Error(`lessons must be a positive integer, got ${lessons}`);
  const courseDir = path.join(dir, 'courses', 'bench');
  const lessonsDir = path.join(courseDir, 'lessons');
  fs.mkdirSync(lessonsDir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'hocso.config.yaml'),
    `courses:\n  - courses/bench\nframeworks: ${JSON.stringify(BENCH_FRAMEWORKS_DIR)}\noutput: out\n`,
  );
  fs.writeFileSync(path.join(courseDir, 'course.yaml'), generateCourseYaml(lessons));
  for (let i = 1; i <= lessons; i++) {
    fs.writeFileSync(path.join(lessonsDir, lessonFileName(i)), generateLesson(i, lessons, seed));
  }
}

/**
 * A national catalog: `lessons` lessons in courses of `perCourse` (courses/khoa-NNN, ids khoa-NNN), each course
 * generated like the one-course corpus with its own seed. Lesson files: courses/khoa-NNN/lessons/bai-NNNN.md.
 */
export function generateCatalog(dir: string, lessons: number, perCourse: number, seed = 1): string[] {
  const ids: string[] = [];
  for (let c = 0, left = lessons; left > 0; c++, left -= perCourse) {
    const id = `khoa-${String(c + 1).padStart(3, '0')}`;
    const size = Math.min(perCourse, left);
    const lessonsDir = path.join(dir, 'courses', id, 'lessons');
    fs.mkdirSync(lessonsDir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'courses', id, 'course.yaml'), generateCourseYaml(size).replace(/^id: bench$/m, `id: ${id}`));
    for (let i = 1; i <= size; i++) fs.writeFileSync(path.join(lessonsDir, lessonFileName(i)), generateLesson(i, size, seed + c));
    ids.push(id);
  }
  fs.writeFileSync(
    path.join(dir, 'hocso.config.yaml'),
    `courses:\n${ids.map((id) => `  - courses/${id}\n`).join('')}frameworks: ${JSON.stringify(BENCH_FRAMEWORKS_DIR)}\noutput: out\n`,
  );
  return ids;
}

/** Total size in bytes of the files under `dir` (recursive). */
export function directorySize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}
