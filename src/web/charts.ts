// Charts drawn on the server as SVG with Apache ECharts' server-side renderer: the page carries
// the finished picture, needs no script and no network, and prints as sharply as its text. Every
// chart sits above the table of the same figures (the table is what screen readers and auditors
// read; the chart carries an aria-label saying so). ECharts is loaded on first use only.
import type { EChartsType } from 'echarts/core';

export interface BarSeries {
  name: string;
  /** Exact decimal strings (money) or whole numbers as text: drawn, never summed, here. */
  values: string[];
}

export interface BarChart {
  categories: string[];
  series: BarSeries[];
  /** How the value axis is labelled: yuan (¥1.2万) or a count. */
  unit: 'yuan' | 'count';
  /** Bars up from the axis (few, short categories), or across (many or long ones, e.g. prefectures). */
  across?: boolean;
  width?: number;
  height?: number;
}

// Colours with at least 3:1 contrast against white (WCAG 1.4.11, graphics), told apart by shade too.
const PALETTE = ['#0b5394', '#b45f06', '#38761d', '#741b47'];

let loaded: Promise<(width: number, height: number) => EChartsType> | null = null;

function loadEcharts() {
  loaded ??= (async () => {
    const echarts = await import('echarts/core');
    // Only what these charts draw: each module installs itself. The whole set of charts and
    // components takes about twice as long to load and 15 MB more.
    await import('echarts/lib/chart/bar');
    await import('echarts/lib/component/grid');
    await import('echarts/lib/component/legendPlain');
    const { SVGRenderer } = await import('echarts/renderers');
    echarts.use([SVGRenderer]);
    return (width: number, height: number) => echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  })();
  return loaded;
}

/** ¥ in 万 (ten thousands) on the axis, as Chinese reports write large sums. */
function axisLabel(unit: BarChart['unit']) {
  return unit === 'yuan' ? (value: number) => (value === 0 ? '0' : `¥${value / 10_000}万`) : (value: number) => String(value);
}

/**
 * Charts drawn lately, by what they show: drawing one takes milliseconds of CPU (a programme's page
 * draws several), and the same figures give the same picture, so a page asked for again while its
 * figures stand still is not drawn again. Bounded: the oldest drawn is dropped first.
 */
const drawn = new Map<string, Promise<string>>();
const DRAWN_KEPT = 64;

/** The chart as an SVG document fragment (a string to place inside a figure). */
export function barChartSvg(chart: BarChart): Promise<string> {
  const key = JSON.stringify(chart);
  const known = drawn.get(key);
  if (known) return known;
  const svg = draw(chart);
  drawn.set(key, svg);
  if (drawn.size > DRAWN_KEPT) drawn.delete(drawn.keys().next().value as string);
  // A failure is not kept: the next page tries again.
  svg.catch(() => drawn.delete(key));
  return svg;
}

async function draw(chart: BarChart): Promise<string> {
  const init = await loadEcharts();
  const across = chart.across ?? false;
  const instance = init(chart.width ?? 960, chart.height ?? (across ? 60 + chart.categories.length * 34 : 320));
  const categoryAxis = { type: 'category', data: chart.categories, axisLabel: { fontSize: 13, interval: 0 }, inverse: across };
  const valueAxis = { type: 'value', minInterval: chart.unit === 'count' ? 1 : undefined, axisLabel: { formatter: axisLabel(chart.unit), fontSize: 13 } };
  try {
    instance.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif", color: '#1a1a1a' },
      legend: { top: 0, textStyle: { fontSize: 13 } },
      grid: { left: 16, right: 24, top: 40, bottom: 8 },
      xAxis: across ? valueAxis : categoryAxis,
      yAxis: across ? categoryAxis : valueAxis,
      series: chart.series.map((s) => ({
        name: s.name,
        type: 'bar',
        data: s.values.map(Number),
        barMaxWidth: 36,
        // Values beside bars laid across; upright bars stand side by side, too narrow for a label
        // each: their figures are in the table under the chart.
        label: { show: across, position: 'right', fontSize: 12 },
      })),
    });
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}
