// ECharts' per-chart and per-component modules (listed in its package exports) install themselves
// when imported and export nothing; the package ships no declarations for them.
declare module 'echarts/lib/chart/bar';
declare module 'echarts/lib/component/grid';
declare module 'echarts/lib/component/legendPlain';
