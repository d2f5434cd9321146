// The caseworker's intake pages: the county list checked (every problem of every row at once, in
// Chinese, values masked), imported with the same file (sent once), then the bulk step for the
// imported students run as a job whose page reloads itself until it shows the result table; the same
// forms posted twice do the work once (one job); other roles and other departments get the 404 page.
import iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { type IntakeRow, intakeCsv, intakeRow, intakeXlsx } from '../support/intake-rows.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { useTestApp } from '../support/test-app.ts';
import { BULK_JOB_PATH, followBulkJob } from '../support/bulk-step-jobs.ts';

const t = useTestApp();
let caseworker: PageBrowser;
let programme: ProgrammeView;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;

beforeAll(async () => {
  caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
  programme = await makeProgramme(t.world);
}, 60_000);

function fileForm(fields: Record<string, string>, bytes: Uint8Array | string, name: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const type = name.endsWith('.xlsx') ? XLSX : 'text/csv';
  form.set('file', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type }));
  return form;
}

async function check(bytes: Uint8Array | string, name: string, encoding = '') {
  const page = await caseworker.request('GET', '/students/import');
  return caseworker.request('POST', '/students/import', fileForm({ csrf: hidden(page.html, 'csrf'), encoding }, bytes, name));
}

describe('checking a county list', () => {
  it('shows every problem of every row at once, by row and column, in Chinese, personal values masked; nothing written', async () => {
    const bad: IntakeRow = intakeRow({ gender: '男', holder_name: '别人', expected_graduation: '2023-06-30' });
    const worse: IntakeRow = intakeRow({ level: '硕士', admission_date: '2024-13-01' });
    const before = await t.db.prisma.student.count();
    const res = await check(await intakeXlsx([intakeRow(), bad, worse]), '名单.xlsx');
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain('共 3 行，其中 2 行有错误');
    for (const expected of ['3 性别 C3 男', '3 户名 G3 别*', '3 预计毕业 V3 2023-06-30', '4 层次 T4 硕士', '4 入学日期 U4 2024-13-01']) {
      expect(text).toContain(expected);
    }
    expect(res.html).toMatch(/<th scope="col">问题<\/th>/);
    for (const clear of [bad.identity_number!, bad.name!, bad.account_number!, worse.identity_number!]) expect(res.html).not.toContain(clear);
    expect(res.html).not.toContain('action="/students/import/confirm"');
    expect(await t.db.prisma.student.count()).toBe(before);
  });

  it('a formula is refused naming the cell; a GBK CSV is read as GBK; GBK sent as UTF-8 gets a Chinese message', async () => {
    const formula = await check(await intakeXlsx([intakeRow(), intakeRow()], { formula: { row: 1, key: 'identity_number' } }), '名单.xlsx');
    expect(formula.status).toBe(400);
    expect(textOf(formula.html)).toContain('第 3 行 B 列（身份证号）是公式');

    const row = intakeRow({ name: '卓玛', holder_name: '卓玛' });
    const gbk = new Uint8Array(iconv.encode(intakeCsv([row]), 'gbk'));
    const read = await check(gbk, '名单.csv');
    expect(read.status).toBe(200);
    expect(textOf(read.html)).toContain('将新建 1 名学生');
    expect(read.html).toContain('卓*');
    const wrong = await check(gbk, '名单.csv', 'utf-8');
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.html)).toContain('文件不是有效的UTF-8编码');
  });

  it('no file chosen, or a forged form: said in Chinese', async () => {
    const page = await caseworker.request('GET', '/students/import');
    const empty = new FormData();
    empty.set('csrf', hidden(page.html, 'csrf'));
    empty.set('file', new File([], ''));
    const none = await caseworker.request('POST', '/students/import', empty);
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('请选择要导入的名单文件');
    const forged = await caseworker.request('POST', '/students/import', fileForm({ csrf: 'not-ours' }, intakeCsv([intakeRow()]), 'a.csv'));
    expect(forged.status).toBe(403);
  });

  it('offers both templates', async () => {
    const xlsx = await caseworker.request('GET', '/students/import/template.xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('Content-Type')).toBe(XLSX);
    const csv = await caseworker.request('GET', '/students/import/template.csv');
    expect(csv.html).toContain('身份证号');
  });
});

describe('import, then the bulk step', () => {
  let importId: string;
  let jobPath: string;
  const rows = [intakeRow(), intakeRow(), intakeRow({ adopted: '是' })];

  it('imports the file just checked, once, and leads to the bulk step for its students', async () => {
    const file = await intakeXlsx(rows);
    const checked = await check(file, '名单.xlsx');
    expect(checked.html).toContain('action="/students/import/confirm"');
    const fields = {
      csrf: hidden(checked.html, 'csrf'),
      formKey: hidden(checked.html, 'formKey'),
      fileSha256: hidden(checked.html, 'fileSha256'),
      encoding: '',
    };

    const before = await t.db.prisma.student.count();
    const other = await caseworker.request('POST', '/students/import/confirm', fileForm(fields, await intakeXlsx([intakeRow()]), 'other.xlsx'));
    expect(other.status).toBe(409);
    expect(textOf(other.html)).toContain('所选文件与刚才检查的文件不同');
    expect(await t.db.prisma.student.count()).toBe(before);

    const res = await caseworker.request('POST', '/students/import/confirm', fileForm(fields, file, '名单.xlsx'));
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/students\/bulk\?importId=[0-9a-f-]{36}$/);
    importId = res.location!.split('=')[1]!;
    const again = await caseworker.request('POST', '/students/import/confirm', fileForm(fields, file, '名单.xlsx'));
    expect(again).toMatchObject({ status: 303, location: res.location });
    expect(await t.db.prisma.student.count()).toBe(before + 3);
    expect(await t.db.prisma.studentImport.count({ where: { id: importId } })).toBe(1);
  });

  it('the bulk step for the imported students: one written per passing student, the adopted one refused with why; posted twice, done once', async () => {
    const page = await caseworker.request('GET', `/students/bulk?importId=${importId}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('已导入 3 名学生');
    expect(page.html).toContain('¥3,000.00');
    const students = [...page.html.matchAll(/name="studentIds" value="([^"]+)" checked/g)].map((m) => m[1]!);
    expect(students).toHaveLength(3);
    const form = new URLSearchParams({
      csrf: hidden(page.html, 'csrf'),
      formKey: hidden(page.html, 'formKey'),
      importId,
      programmeId: programme.id,
      academicYear: '2026-2027',
      verifiedOn: '2026-11-20',
      source: '学信网学籍在线验证',
      reference: '',
      amount_undergraduate: '4000.00',
    });
    for (const id of students) form.append('studentIds', id);
    const post = (body: URLSearchParams) =>
      t.app.request('http://localhost/students/bulk', {
        method: 'POST',
        headers: {
          Cookie: [...caseworker.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          Origin: 'http://localhost',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: body.toString(),
      });
    const res = await post(form);
    expect(res.status).toBe(303);
    const location = res.headers.get('Location')!;
    expect(location).toMatch(BULK_JOB_PATH);
    // Posted again (a double click): the same job, not a second one.
    const again = await post(form);
    expect(again.status).toBe(303);
    expect(again.headers.get('Location')).toBe(location);
    expect(await t.db.prisma.bulkStepJob.count({ where: { programmeId: programme.id } })).toBe(1);

    const finished = await followBulkJob(caseworker, location);
    const text = textOf(finished.html);
    expect(text).toContain('批量核验与申报：已完成');
    expect(text).toContain('已写入 2 名，无需处理 0 名，未写入 1 名');
    expect(text).toContain('待资格审批后再办');
    expect(text).toMatch(/收养/);
    const written = await t.db.prisma.eligibilityDetermination.count({ where: { programmeId: programme.id, studentId: { in: students } } });
    expect(written).toBe(2);
    // The job keeps ids and the plan, never a name or an identity number.
    const job = await t.db.prisma.bulkStepJob.findFirstOrThrow({ where: { programmeId: programme.id } });
    expect(Object.keys(job.input as object).sort()).toEqual(['amounts', 'studentIds', 'verification']);
    jobPath = location;
  });

  /** The bulk form typed in by hand (ids pasted), with the fields given. */
  async function postBulkForm(fields: Record<string, string>) {
    const page = await caseworker.request('GET', '/students/bulk');
    return caseworker.request('POST', '/students/bulk', {
      csrf: hidden(page.html, 'csrf'),
      formKey: hidden(page.html, 'formKey'),
      programmeId: programme.id,
      academicYear: '2026-2027',
      verifiedOn: '2026-11-20',
      source: '学信网',
      ...fields,
    });
  }

  it('more than 5,000 students is refused naming the field; nothing written', async () => {
    const before = await t.db.prisma.auditEvent.count();
    const res = await postBulkForm({ studentIdsText: Array.from({ length: 5001 }, () => randomUUID()).join('\n') });
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/<p class="field-error" id="studentIds-error">每次最多5000名学生/);
    expect(res.html).toMatch(/id="studentIds"[^>]*aria-invalid="true"/);
    expect(await t.db.prisma.auditEvent.count()).toBe(before);
    expect(await t.db.prisma.bulkStepJob.count({ where: { programmeId: programme.id } })).toBe(1);
  });

  it('an amount outside the band is refused at once naming the field; no job is made', async () => {
    const res = await postBulkForm({ studentIdsText: randomUUID(), amount_undergraduate: '99999.00' });
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/id="amount-undergraduate-error">金额须在/);
    expect(await t.db.prisma.bulkStepJob.count({ where: { programmeId: programme.id } })).toBe(1);
  });

  it('a job under way shows done / total and the counts so far, and reloads itself', async () => {
    const job = await t.db.prisma.bulkStepJob.create({
      data: {
        id: randomUUID(),
        requestedById: t.world.users.caseworker.actor.userId,
        organisationId: t.world.department.id,
        programmeId: programme.id,
        academicYear: 2026,
        input: { studentIds: [] },
        status: 'running',
        runnerId: randomUUID(),
        total: 40,
        done: 12,
        written: 9,
        unchanged: 2,
        refused: 1,
        startedAt: new Date(),
      },
    });
    const page = await caseworker.request('GET', `/students/bulk/jobs/${job.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<meta http-equiv="refresh" content="2"/>');
    expect(textOf(page.html)).toContain('办理中：已办理 12 / 40 名（已写入 9 名，无需处理 2 名，未写入 1 名）');
    expect(page.html).toMatch(/<progress max="40" value="12">/);
    await t.db.prisma.bulkStepJob.update({ where: { id: job.id }, data: { status: 'interrupted', finishedAt: new Date() } });
  });

  it('other roles and other departments get the 404 page', async () => {
    const approver = await signedInBrowser(t.app, t.db.prisma, t.world.users.approver.actor.userId);
    for (const path of ['/students/import', '/students/bulk', '/students/import/template.xlsx']) {
      expect((await approver.request('GET', path)).status).toBe(404);
    }
    const home = await approver.request('GET', '/home');
    const posted = await approver.request('POST', '/students/bulk', { csrf: hidden(home.html, 'csrf'), formKey: 'a'.repeat(20), programmeId: programme.id });
    expect(posted.status).toBe(404);
    const elsewhere = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
    const stranger = await signedInBrowser(t.app, t.db.prisma, elsewhere.actor.userId);
    expect((await stranger.request('GET', `/students/bulk?importId=${importId}`)).status).toBe(404);
    // The job's page: its department's caseworkers only.
    for (const other of [approver, stranger, await signedInBrowser(t.app, t.db.prisma, t.world.users.admin.actor.userId)]) {
      const res = await other.request('GET', jobPath);
      expect(res.status).toBe(404);
      expect(res.html).toContain('页面不存在');
    }
    expect((await caseworker.request('GET', jobPath)).status).toBe(200);
    expect((await caseworker.request('GET', '/students/bulk/jobs/not-an-id')).status).toBe(404);
  });
});
