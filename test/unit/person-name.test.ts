// Names as identity cards and banks hold them are taken; what would break a bank file or hide a
// difference is refused with its own reason.
import { describe, expect, it } from 'vitest';
import { NAME_CHARACTERS, NAME_FORMULA_START, NAME_INVISIBLE_CHARACTER, personNameProblem } from '../../src/domain/person-name.ts';
import { fieldMessageWords } from '../../src/domain/error-catalogue.ts';

describe('personNameProblem', () => {
  it.each(['韩梅梅', '买买提·艾力', '阿依古丽・买买提', '才让 卓玛', 'Anna-Maria', "O'Neil", '欧阳娜娜', '𠮷田', 'José'])('takes %s', (name) => {
    expect(personNameProblem(name)).toBeNull();
  });

  it.each(['=HYPERLINK("x")', '+86韩', '-韩梅梅', '@SUM(A1)'])('refuses %s as a formula', (name) => {
    expect(personNameProblem(name)).toBe(NAME_FORMULA_START);
  });

  it.each(['韩\t梅梅', '韩\u200B梅梅', '韩梅\u200E梅', '韩\u00A0梅梅', '韩\u3000梅梅', '韩\u0007梅梅'])('refuses %j for an invisible character', (name) => {
    expect(personNameProblem(name)).toBe(NAME_INVISIBLE_CHARACTER);
  });

  it.each(['韩梅梅1', '·韩梅梅', '韩梅梅·', '韩··梅梅', '韩  梅梅', '韩<梅>', '😀', '韩梅梅。'])('refuses %s for its characters', (name) => {
    expect(personNameProblem(name)).toBe(NAME_CHARACTERS);
  });

  it('says each reason in Chinese and English with a code', () => {
    for (const message of [NAME_FORMULA_START, NAME_INVISIBLE_CHARACTER, NAME_CHARACTERS]) {
      const words = fieldMessageWords(message);
      expect(words.known).toBe(true);
      expect(words.code).toMatch(/^name_/);
      expect(words.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(words.en).toMatch(/^[a-z]/);
    }
  });
});
