// Pure pieces of the bulk intake's file handling: the size a zip would unpack to, read from its
// directory alone (so a zip bomb is refused before it is inflated), and what a report shows of a
// cell (masked when personal; of the evidence, the document types only).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { shownValue } from '../../src/domain/student-import/shown-value.ts';
import { zipSize } from '../../src/files/zip-entries.ts';

async function workbookBytes(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('名单').addRow(['姓名', '身份证号']);
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

describe('zipSize', () => {
  it('sums the unpacked sizes of a workbook’s entries from its central directory', async () => {
    const size = zipSize(await workbookBytes());
    expect(size).not.toBeNull();
    expect(size!.entries).toBeGreaterThan(3);
    expect(size!.unpackedBytes).toBeGreaterThan(1000);
  });

  it('reports a declared size as declared (what a zip bomb declares is what is refused)', async () => {
    const bytes = await workbookBytes();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const before = zipSize(bytes)!.unpackedBytes;
    // The first central-directory entry's uncompressed size, made 2 GiB larger than it is.
    let at = -1;
    for (let i = 0; i < bytes.length - 4; i++)
      if (view.getUint32(i, true) === 0x02014b50) {
        at = i;
        break;
      }
    view.setUint32(at + 24, view.getUint32(at + 24, true) + 0x7fff0000, true);
    expect(zipSize(bytes)!.unpackedBytes).toBe(before + 0x7fff0000);
  });

  it('is null for what is not a zip it reads', () => {
    expect(zipSize(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))).toBeNull();
    expect(zipSize(new TextEncoder().encode('姓名,身份证号\r\n'))).toBeNull();
  });
});

describe('shownValue', () => {
  it('masks names, identity, account and phone numbers; keeps only the types of the evidence; shows the rest as written', () => {
    expect(shownValue('name', ' 韩梅梅 ')).toBe('韩**');
    expect(shownValue('holder_name', '别人')).toBe('别*');
    expect(shownValue('identity_number', '630102200603151249')).toBe('630102********1249');
    expect(shownValue('identity_number', '6301022006')).toBe('**********');
    expect(shownValue('account_number', '6217000000000000123')).toBe('***************0123');
    expect(shownValue('phone', '13800001234')).toBe('138****1234');
    expect(shownValue('evidence', '死亡证明|QH-SW-2019-000123|西宁市第一人民医院|2019-03-02; 残疾证|QH-CJ-1|西宁|2018-05-20')).toBe('死亡证明|…；残疾证|…');
    expect(shownValue('admission_date', '2024年13月1日')).toBe('2024年13月1日');
    expect(shownValue('mother_situation', '服刑在押')).toBe('服刑在押');
    expect(shownValue('authority', '西宁市城东区民政局')).toBe('西宁市城东区民政局');
    expect(shownValue('gender', '')).toBe('');
    expect(shownValue('authority', '长'.repeat(80))).toBe(`${'长'.repeat(60)}…`);
  });

  it('masks what looks like a name or a long number in any other column (typed in the wrong one, or shifted)', () => {
    expect(shownValue('recognised_on', '卓梨兰云')).toBe('卓***');
    expect(shownValue('level', '硕士')).toBe('硕士');
    expect(shownValue('gender', '卓玛')).toBe('卓*');
    expect(shownValue('institution_code', '630102200603151249')).toBe('******************');
    expect(shownValue('authority', '欧阳·娜娜')).toBe('欧****');
  });
});
