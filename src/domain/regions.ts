// Region codes (GB/T 2260): which 6-digit codes are accepted as the address code of an identity
// number, and their names.
//
// Coverage, stated honestly:
// - Qinghai (63xxxx), the province this programme serves: the full table of current AND former
//   county-level codes, with names (regions-qinghai.ts). A 63 code not in that table is refused.
// - Every other province: no county table yet. A code is accepted when its first two digits are a
//   province that has county codes and its prefecture digits (3–4) are not '00' (no GB/T 2260 code
//   below province level has 00 there; xx0000 is the province itself, which names no place of
//   household registration). That rule lets through codes that do not exist (e.g. 110199); the check
//   digit still guards against typing errors. Add a province's table here when students from it appear.
// - 台湾省 (71), 香港 (81), 澳门 (82) have no county codes in GB/T 2260, so no identity number address
//   code under them is accepted. Residence permits for Hong Kong, Macao and Taiwan residents
//   (810000 / 820000 / 830000) are therefore refused: recognition as de facto unsupported is made by
//   the county where the child's household is registered, so those holders are out of scope.
import { QINGHAI_REGIONS, type RegionEntry } from './regions-qinghai.ts';

export type { RegionEntry, RegionLevel } from './regions-qinghai.ts';
export { QINGHAI_REGIONS } from './regions-qinghai.ts';

export interface Province {
  /** First two digits of every code in the province. */
  readonly prefix: string;
  readonly name: string;
  /** False for 71/81/82, which GB/T 2260 lists without subdivisions. */
  readonly hasCountyCodes: boolean;
}

/** The 34 province-level divisions (GB/T 2260 two-digit prefixes). */
export const PROVINCES: readonly Province[] = Object.freeze(
  (
    [
      ['11', '北京市'],
      ['12', '天津市'],
      ['13', '河北省'],
      ['14', '山西省'],
      ['15', '内蒙古自治区'],
      ['21', '辽宁省'],
      ['22', '吉林省'],
      ['23', '黑龙江省'],
      ['31', '上海市'],
      ['32', '江苏省'],
      ['33', '浙江省'],
      ['34', '安徽省'],
      ['35', '福建省'],
      ['36', '江西省'],
      ['37', '山东省'],
      ['41', '河南省'],
      ['42', '湖北省'],
      ['43', '湖南省'],
      ['44', '广东省'],
      ['45', '广西壮族自治区'],
      ['46', '海南省'],
      ['50', '重庆市'],
      ['51', '四川省'],
      ['52', '贵州省'],
      ['53', '云南省'],
      ['54', '西藏自治区'],
      ['61', '陕西省'],
      ['62', '甘肃省'],
      ['63', '青海省'],
      ['64', '宁夏回族自治区'],
      ['65', '新疆维吾尔自治区'],
      ['71', '台湾省'],
      ['81', '香港特别行政区'],
      ['82', '澳门特别行政区'],
    ] as const
  ).map(([prefix, name]) => Object.freeze({ prefix, name, hasCountyCodes: Number(prefix) < 70 })),
);

/** Provinces whose full county table is in this module; codes under them must be in the table. */
export const FULL_TABLE_PREFIXES: ReadonlySet<string> = new Set(['63']);

const PROVINCE_BY_PREFIX = new Map(PROVINCES.map((p) => [p.prefix, p]));
const REGION_BY_CODE = new Map(QINGHAI_REGIONS.map((r) => [r.code, r]));

const SIX_DIGITS = /^\d{6}$/;

/** The province a 6-digit code belongs to (by its first two digits), or undefined. */
export function provinceOf(code: string): { code: string; prefix: string; name: string } | undefined {
  if (typeof code !== 'string' || !SIX_DIGITS.test(code)) return undefined;
  const p = PROVINCE_BY_PREFIX.get(code.slice(0, 2));
  return p ? { code: `${p.prefix}0000`, prefix: p.prefix, name: p.name } : undefined;
}

/** The table entry of a code (Qinghai codes only), or undefined. */
export function lookupRegion(code: string): RegionEntry | undefined {
  return typeof code === 'string' ? REGION_BY_CODE.get(code) : undefined;
}

/**
 * Whether `code` is accepted as the address code of an identity number (see the coverage note at the
 * top of this file). Province-level codes (xx0000) are never accepted, also not 630000.
 */
export function isKnownRegionCode(code: string): boolean {
  if (typeof code !== 'string' || !SIX_DIGITS.test(code)) return false;
  const prefix = code.slice(0, 2);
  const province = PROVINCE_BY_PREFIX.get(prefix);
  if (!province?.hasCountyCodes) return false;
  if (FULL_TABLE_PREFIXES.has(prefix)) {
    const entry = REGION_BY_CODE.get(code);
    return entry !== undefined && entry.level !== 'province';
  }
  return code.slice(2, 4) !== '00';
}

/**
 * The name of the code itself: a county/district or prefecture name for a Qinghai code, the
 * province name for any xx0000 province code; undefined when the code is not in a table.
 */
export function regionName(code: string): string | undefined {
  const entry = lookupRegion(code);
  if (entry) return entry.name;
  if (typeof code === 'string' && SIX_DIGITS.test(code) && code.endsWith('0000')) return provinceOf(code)?.name;
  return undefined;
}

/** The prefecture-level entry above a Qinghai county code (632123 → 海东地区), or undefined. */
export function prefectureOf(code: string): RegionEntry | undefined {
  if (typeof code !== 'string' || !SIX_DIGITS.test(code) || code.endsWith('0000')) return undefined;
  const entry = REGION_BY_CODE.get(`${code.slice(0, 4)}00`);
  return entry?.level === 'prefecture' ? entry : undefined;
}

/**
 * The most specific name we can give, for display and reports: '青海省海东地区乐都县' for a Qinghai code,
 * the province name alone elsewhere ('北京市'), undefined when even the province is unknown.
 */
export function regionFullName(code: string): string | undefined {
  const province = provinceOf(code);
  if (!province) return undefined;
  const entry = lookupRegion(code);
  if (!entry || entry.level === 'province') return province.name;
  if (entry.level === 'prefecture') return province.name + entry.name;
  const prefecture = prefectureOf(code);
  return province.name + (prefecture?.name ?? '') + entry.name;
}

/** Prefecture (or, without a county table, province) of a registered region code, with its name. */
export function regionOf(code: string): { regionCode: string; regionName: string } {
  const province = provinceOf(code);
  const prefecture = prefectureOf(code);
  if (province && prefecture) return { regionCode: prefecture.code, regionName: province.name + prefecture.name };
  if (province) return { regionCode: province.code, regionName: province.name };
  return { regionCode: code, regionName: '未知 (unknown)' };
}
