// The server-drawn charts are well-formed SVG (a page embeds them as they are), carry every
// category, and draw one bar per value.
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../src/web/charts.ts';

function parseXml(text: string): { elements: number; texts: string[] } {
  const parser = new SaxesParser();
  let elements = 0;
  const texts: string[] = [];
  parser.on('opentag', () => elements++);
  parser.on('text', (t) => texts.push(t));
  parser.write(text).close();
  return { elements, texts };
}

describe('barChartSvg', () => {
  it('draws a well-formed SVG with the categories and a bar per value (yuan, upright)', async () => {
    const svg = await barChartSvg({
      categories: ['2024-2025', '2025-2026'],
      series: [
        { name: '承诺金额', values: ['300000.00', '540000.00'] },
        { name: '已发放', values: ['298000.00', '536750.00'] },
      ],
      unit: 'yuan',
    });
    expect(svg.startsWith('<svg')).toBe(true);
    const { texts } = parseXml(svg);
    expect(texts).toEqual(expect.arrayContaining(['2024-2025', '2025-2026', '承诺金额', '已发放', '¥50万']));
    expect(svg.match(/ecmeta_ssr_type="chart"/g)).toHaveLength(4);
  });

  it('lays many categories across, one row each, with whole-number counts', async () => {
    const names = ['西宁市', '海东市', '海北藏族自治州', '黄南藏族自治州', '海南藏族自治州', '果洛藏族自治州', '玉树藏族自治州', '海西蒙古族藏族自治州'];
    const svg = await barChartSvg({
      categories: names,
      series: [{ name: '受助学生', values: ['33', '41', '10', '11', '15', '14', '21', '20'] }],
      unit: 'count',
      across: true,
    });
    const { texts } = parseXml(svg);
    expect(texts).toEqual(expect.arrayContaining([...names, '41']));
    expect(texts.some((t) => /\./.test(t))).toBe(false);
  });
});
