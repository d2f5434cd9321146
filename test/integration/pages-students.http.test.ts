// The caseworker's student pages: the list and its search (always a POST — a name never appears in
// a URL, not even in the link to the next page), one student's record with recognitions,
// enrolments and eligibility and grants by year, and the registration form. Other roles that may
// read students see the record without the forms; another department sees the 404 page.
import { beforeAll, describe, expect, it } from 'vitest';
import { fieldError, foreignKeys, formKeys, type StudentPageBrowsers, studentPageBrowsers, textOf } from '../support/student-pages.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { fictionalAccountNumber, fictionalIdentityNumber, makeEnrolment, makeStudent } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';
import { makeIdentityNumber } from '../../src/domain/identity-number.ts';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';

const t = useTestApp();
let b: StudentPageBrowsers;

beforeAll(async () => {
  b = await studentPageBrowsers(t);
}, 60_000);

/** Every address a page links to or posts to. */
const addresses = (html: string) => [...html.matchAll(/(?:href|action)="([^"]*)"/g)].map((m) => decodeURIComponent(m[1]!));

describe('the list of students and its search', () => {
  const NAME = '林小雨';
  let plainNumbers: string[];

  beforeAll(async () => {
    // One more than a page, all with the same name, so that the search has a next page.
    plainNumbers = [];
    for (let i = 0; i < 21; i++) plainNumbers.push((await makeStudent(t.world, { name: NAME })).plain.identityNumber);
  }, 120_000);

  it('lists the department’s students, masked, newest first, a page at a time, with their enrolment', async () => {
    const { student } = await makeStudent(t.world, { name: '周 晓' });
    await makeEnrolment(t.world, student.id, { institutionName: '青海师范大学' });
    const page = await b.caseworker.request('GET', '/students');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(student.identityNumber);
    expect(text).toContain('青海师范大学（本科）');
    expect(text).toContain('在读');
    expect(text).not.toContain('周 晓');
    for (const number of plainNumbers) expect(page.html).not.toContain(number);
    const next = /href="(\/students\?cursor=[^"]+)" rel="next"/.exec(page.html)![1]!;
    const second = await b.caseworker.request('GET', next.replaceAll('&amp;', '&'));
    expect(second.status).toBe(200);
    expect(second.html).not.toContain(student.identityNumber);
  });

  it('searches by name through a POST; the next page is a POST too, and no address on either page holds the name', async () => {
    const home = await b.caseworker.request('GET', '/students');
    expect(home.html).toMatch(/<form method="post" action="\/students"/);
    const first = await b.caseworker.request('POST', '/students', { name: NAME });
    expect(first.status).toBe(200);
    expect(first.html.match(/<tr><td><a href="\/students\//g)).toHaveLength(20);
    expect(first.html).toMatch(
      /<form method="post" action="\/students"><input type="hidden" name="name" value="林小雨"\/><input type="hidden" name="cursor" value="[^"]+"\/>/,
    );
    for (const html of [home.html, first.html]) expect(addresses(html).filter((a) => a.includes(NAME) || a.includes('name='))).toEqual([]);
    const cursor = /name="cursor" value="([^"]+)"/.exec(first.html)![1]!;
    const second = await b.caseworker.request('POST', '/students', { name: NAME, cursor });
    expect(second.html.match(/<tr><td><a href="\/students\//g)).toHaveLength(1);
    expect(textOf(second.html)).toContain('已是最后一页');
    // Nor does the service's log of the requests (which does log them).
    expect(t.logs.lines.some((line) => line.includes('/students'))).toBe(true);
    expect(t.logs.lines.filter((line) => line.includes(NAME) || line.includes(encodeURIComponent(NAME)))).toEqual([]);
  });

  it('a name in the query string filters nothing: names are only taken from the form', async () => {
    const page = await b.caseworker.request('GET', `/students?name=${encodeURIComponent(NAME)}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('全部学生');
    expect(textOf(page.html)).not.toContain('查找结果');
  });

  it('finds a student by the last four characters of the number or its masked form', async () => {
    const { student, plain } = await makeStudent(t.world, { name: '马 兰' });
    const byLastFour = await b.caseworker.request('POST', '/students', { identityNumber: plain.identityNumber.slice(-4) });
    expect(textOf(byLastFour.html)).toContain(student.identityNumber);
    const byMasked = await b.caseworker.request('POST', '/students', { identityNumber: student.identityNumber });
    expect(byMasked.html.match(/<tr><td><a href="\/students\//g)).toHaveLength(1);
  });

  it('narrows the list by region, school and enrolment status, all sent in the form', async () => {
    const { student } = await makeStudent(t.world, { regionCode: '630104' });
    const enrolment = await makeEnrolment(t.world, student.id, { institutionCode: '4163010999', institutionName: '青海职业学院', level: 'higher_vocational' });
    await changeEnrolmentStatus({
      ctx: t.world.users.caseworker.ctx,
      input: { studentId: student.id, enrolmentId: enrolment.id, status: 'suspended', effectiveOn: '2026-03-01', reason: '因病休学' },
    });
    const rows = async (fields: Record<string, string>) => {
      const res = await b.caseworker.request('POST', '/students', fields);
      expect(res.status).toBe(200);
      return [...res.html.matchAll(/<tr><td><a href="\/students\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    };
    expect(await rows({ institutionCode: '4163010999', status: 'suspended' })).toEqual([student.id]);
    expect(await rows({ institutionCode: '4163010999', status: 'enrolled' })).toEqual([]);
    expect(await rows({ regionCode: '630104' })).toContain(student.id);
    expect(await rows({ regionCode: '630102', institutionCode: '4163010999' })).toEqual([]);
    const page = await b.caseworker.request('POST', '/students', { institutionCode: '4163010999' });
    expect(textOf(page.html)).toContain('青海职业学院（高职）');
    expect(textOf(page.html)).toContain('休学');
  });

  it('refuses a whole identity number and a bad region code, naming each field in Chinese', async () => {
    const res = await b.caseworker.request('POST', '/students', { identityNumber: plainNumbers[0]!, regionCode: '青海' });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'identityNumber')).toContain('后4位');
    expect(fieldError(res.html, 'regionCode')).toBeTruthy();
    expect(textOf(res.html)).toMatch(/需要修改：身份证号码（脱敏号码或后四位）、地区代码|需要修改：地区代码、身份证号码/);
  });

  it('another department finds none of them, by name or in its list', async () => {
    const search = await b.otherCaseworker.request('POST', '/students', { name: NAME });
    expect(search.status).toBe(200);
    expect(textOf(search.html)).toContain('没有符合条件的学生');
    const list = await b.otherCaseworker.request('GET', '/students');
    expect(list.html).not.toMatch(/<tr><td><a href="\/students\//);
  });
});

describe('a student’s page', () => {
  let made: Awaited<ReturnType<typeof makeApprovedGrants>>[number];

  beforeAll(async () => {
    const programme = await makePayoutProgramme(t.world, '20000.00');
    made = (await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00']))[0]!;
  }, 120_000);

  it('shows the caseworker the masked identity, recognition, enrolment and verification, eligibility and grants by year, with the forms', async () => {
    const page = await b.caseworker.request('GET', `/students/${made.student.id}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(made.student.identityNumberMasked);
    expect(text).toContain('符合认定条件');
    expect(text).toContain('2026-2027 学年');
    expect(text).toContain('¥4,000.00');
    expect(text).toContain('已批准');
    for (const value of Object.values(made.student.plain)) expect(page.html).not.toContain(value);
    const id = made.student.id;
    for (const link of [`/students/${id}/recognitions/new`, `/students/${id}/enrolments/new`, `/students/${id}/enrolments/${made.enrolment.id}/status`]) {
      expect(page.html).toContain(`href="${link}"`);
    }
  });

  it('shows the funder’s viewer the same record without any form', async () => {
    const page = await b.viewer.request('GET', `/students/${made.student.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('¥4,000.00');
    expect(page.html).not.toMatch(/\/new"|\/status"/);
  });

  it('is the 404 page for another department', async () => {
    const page = await b.otherCaseworker.request('GET', `/students/${made.student.id}`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain(made.student.identityNumberMasked);
  });

  it('says what a form just did, and nothing for an unknown word', async () => {
    const page = await b.caseworker.request('GET', `/students/${made.student.id}?done=verification`);
    expect(textOf(page.html)).toContain('学籍核验已登记');
    const odd = await b.caseworker.request('GET', `/students/${made.student.id}?done=%3Cscript%3E`);
    expect(odd.html).not.toContain('<script>');
  });
});

describe('registering a student', () => {
  const fields = (identityNumber = fictionalIdentityNumber()) => ({
    identityNumber,
    name: '韩 梅梅',
    gender: 'female',
    phone: '',
    'bankAccount.bankName': '中国建设银行西宁城东支行',
    'bankAccount.accountNumber': fictionalAccountNumber(),
    'bankAccount.holderName': '韩 梅梅',
  });
  const students = () => t.db.prisma.student.count({ where: { departmentId: t.world.department.id } });

  it('offers the form with the live check of the identity number, served by the service', async () => {
    const page = await b.caseworker.request('GET', '/students/new');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<script src="/assets/identity-check.js" defer="">');
    expect(page.html).toMatch(/data-identity-check="identityNumber-live" data-today="2026-11-26"/);
    expect(page.html).toMatch(/<p id="identityNumber-live" class="muted" role="status" aria-live="polite">/);
    const script = await b.caseworker.request('GET', '/assets/identity-check.js');
    expect(script.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    const rules = JSON.parse((await b.caseworker.request('GET', '/assets/identity-rules.json')).html);
    expect(rules.codes).toContain('630102');
    expect(rules.messages.check_digit).toContain('校验位');
  });

  it('registers, goes to the student’s page, and does it once when the form is posted twice', async () => {
    const before = await students();
    const form = { ...(await formKeys(b.caseworker, '/students/new')), ...fields() };
    const res = await b.caseworker.request('POST', '/students/new', form);
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/students\/[0-9a-f-]{36}\?done=registered$/);
    const again = await b.caseworker.request('POST', '/students/new', form);
    expect(again).toMatchObject({ status: 303, location: res.location });
    expect(await students()).toBe(before + 1);
    const page = await b.caseworker.request('GET', res.location!);
    expect(textOf(page.html)).toContain('学生已登记');
    expect(page.html).not.toContain(form.identityNumber);
    expect(t.logs.lines.filter((line) => line.includes(form.identityNumber) || line.includes('梅梅'))).toEqual([]);
    expect(textOf(page.html)).toContain(`${form.identityNumber.slice(0, 6)}********${form.identityNumber.slice(-4)}`);
  });

  it('refuses a wrong check digit, a gender that does not match and an empty bank, each beside its field in Chinese; nothing is written', async () => {
    const before = await students();
    const good = fictionalIdentityNumber({ gender: 'female' });
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await b.caseworker.request('POST', '/students/new', { ...(await formKeys(b.caseworker, '/students/new')), ...fields(wrongCheck) });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'identityNumber')).toBe('身份证号码校验位不正确');
    expect(textOf(res.html)).toContain('需要修改：身份证号码。');
    const noBank = await b.caseworker.request('POST', '/students/new', {
      ...(await formKeys(b.caseworker, '/students/new')),
      ...fields(),
      'bankAccount.bankName': '',
    });
    expect(noBank.status).toBe(400);
    expect(fieldError(noBank.html, 'bankAccount.bankName')).toBe('不能为空');
    expect(textOf(noBank.html)).toContain('需要修改：开户银行。');
    const male = await b.caseworker.request('POST', '/students/new', { ...(await formKeys(b.caseworker, '/students/new')), ...fields(), gender: 'male' });
    expect(male.status).toBe(400);
    expect(fieldError(male.html, 'gender')).toContain('身份证号码');
    expect(await students()).toBe(before);
  });

  it('a number already registered is refused with the catalogue’s words, and the corrected form can be sent again', async () => {
    const { plain } = await makeStudent(t.world);
    const form = { ...(await formKeys(b.caseworker, '/students/new')), ...fields(plain.identityNumber) };
    const res = await b.caseworker.request('POST', '/students/new', form);
    expect(res.status).toBe(409);
    expect(textOf(res.html)).toMatch(/已登记|已经登记/);
    const corrected = await b.caseworker.request('POST', '/students/new', { ...form, identityNumber: fictionalIdentityNumber() });
    expect(corrected.status).toBe(303);
  });

  it('is the 404 page for the funder’s viewer, who may read students but not register one; nothing is written', async () => {
    const before = await t.db.prisma.student.count();
    expect((await b.viewer.request('GET', '/students/new')).status).toBe(404);
    const res = await b.viewer.request('POST', '/students/new', { ...(await foreignKeys(b.viewer)), ...fields() });
    expect(res.status).toBe(404);
    expect(textOf(res.html)).toContain('页面不存在');
    expect(await t.db.prisma.student.count()).toBe(before);
  });

  it('refuses a form not sent from the service (no valid CSRF token); nothing is written', async () => {
    const before = await students();
    const res = await b.caseworker.request('POST', '/students/new', { csrf: 'nope', formKey: 'k'.repeat(20), ...fields() });
    expect(res.status).toBe(403);
    expect(await students()).toBe(before);
  });

  it('accepts a number with a lowercase x and registers it as X', async () => {
    let number = '';
    // A birth date no fixture uses: the fixtures' numbers (born 2006-05-20) could already hold this one.
    for (let seq = 2; !number.endsWith('X'); seq += 2) number = makeIdentityNumber('630102', '2005-11-03', seq);
    const res = await b.caseworker.request('POST', '/students/new', { ...(await formKeys(b.caseworker, '/students/new')), ...fields(number.toLowerCase()) });
    expect(res.status).toBe(303);
    const id = /\/students\/([0-9a-f-]{36})/.exec(res.location!)![1]!;
    expect((await t.db.prisma.student.findUniqueOrThrow({ where: { id } })).identityNumberMasked.endsWith('X')).toBe(true);
  });
});

describe('the home page', () => {
  it('leads the caseworker to the students', async () => {
    const home = await b.caseworker.request('GET', '/home');
    expect(home.html).toContain('<a href="/students">学生</a>');
  });
});
