// What the identity-number script (assets/identity-check.ts) needs from the domain, served as
// /assets/identity-rules.json: every region code src/domain/regions.ts accepts (as whole 4-digit
// blocks where every code under them is accepted, and single codes elsewhere), and the domain's
// words for each failure. Made from isKnownRegionCode itself, so the browser's table cannot drift
// from the server's.
import { IDENTITY_NUMBER_FAILURE_MESSAGES, type IdentityNumberFailure } from '../domain/identity-number.ts';
import { PROVINCES, isKnownRegionCode } from '../domain/regions.ts';

export interface IdentityRules {
  blocks: string[];
  codes: string[];
  messages: Record<IdentityNumberFailure, string>;
  ok: string;
}

export const IDENTITY_NUMBER_LOOKS_RIGHT = '号码格式、校验位、出生日期和地区代码均正确。提交后以系统核验为准。';

function knownRegions(): { blocks: string[]; codes: string[] } {
  const blocks: string[] = [];
  const codes: string[] = [];
  for (const province of PROVINCES) {
    for (let prefecture = 0; prefecture < 100; prefecture++) {
      const block = province.prefix + String(prefecture).padStart(2, '0');
      const known: string[] = [];
      for (let county = 0; county < 100; county++) {
        const code = block + String(county).padStart(2, '0');
        if (isKnownRegionCode(code)) known.push(code);
      }
      if (known.length === 100) blocks.push(block);
      else codes.push(...known);
    }
  }
  return { blocks, codes };
}

let rules: string | undefined;

/** The rules as JSON text, made once. */
export function identityRulesJson(): string {
  rules ??= JSON.stringify({
    ...knownRegions(),
    messages: Object.fromEntries(Object.entries(IDENTITY_NUMBER_FAILURE_MESSAGES).map(([reason, m]) => [reason, `${m.zh}。`])) as IdentityRules['messages'],
    ok: IDENTITY_NUMBER_LOOKS_RIGHT,
  } satisfies IdentityRules);
  return rules;
}
