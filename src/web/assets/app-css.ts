// The pages' one stylesheet, served by the service itself (/assets/app.css): no CDN, no web font,
// so the pages work on an offline government network. System fonts with CJK fallbacks; colours
// chosen for WCAG AA contrast; a print layout for reports.
export const APP_CSS = `
:root {
  --ink: #1a1a1a; --muted: #4a4a4a; --paper: #ffffff; --band: #f3f5f7; --line: #c9ced6;
  --accent: #0b5394; --accent-ink: #ffffff; --danger: #a30000; --ok: #1d6b2f;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", system-ui, sans-serif;
  color: var(--ink); background: var(--paper); line-height: 1.6;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem 1rem; z-index: 10; }
header.site { background: var(--accent); color: var(--accent-ink); padding: .75rem 1.25rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; justify-content: space-between; }
header.site a { color: var(--accent-ink); }
header.site .product { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
header.site nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header.site form { display: inline; margin: 0; }
header.site button { background: transparent; color: var(--accent-ink); border: 1px solid var(--accent-ink); border-radius: 4px; padding: .2rem .7rem; font: inherit; cursor: pointer; }
main { max-width: 84rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h1 small, h2 small { font-size: .8rem; font-weight: 400; color: var(--muted); margin-left: .5rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1.25rem; background: var(--paper); }
.narrow { max-width: 26rem; margin: 2rem auto; }
label { display: block; font-weight: 600; margin: .9rem 0 .25rem; }
label small { font-weight: 400; color: var(--muted); }
input[type=text], input[type=password], input[type=file], select { width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid #767676; border-radius: 4px; }
input[aria-invalid=true] { border-color: var(--danger); }
.field-error { color: var(--danger); margin: .25rem 0 0; }
main button:not(.primary) { font: inherit; padding: .35rem 1rem; border: 1px solid var(--accent); color: var(--accent); background: var(--paper); border-radius: 4px; cursor: pointer; }
button.primary { margin-top: 1.25rem; background: var(--accent); color: var(--accent-ink); border: 0; border-radius: 4px; padding: .6rem 1.4rem; font: inherit; font-weight: 600; cursor: pointer; }
.notice { border-left: 4px solid var(--accent); background: var(--band); padding: .75rem 1rem; margin: 0 0 1rem; }
.notice.error { border-color: var(--danger); }
.notice.ok { border-color: var(--ok); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .45rem .6rem; text-align: left; vertical-align: top; }
td.money, th.money { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.when { white-space: nowrap; }
td form { margin: 0; }
td button { white-space: nowrap; font: inherit; padding: .2rem .8rem; border: 1px solid var(--accent); color: var(--accent); background: var(--paper); border-radius: 4px; cursor: pointer; }
ul.actions { padding-left: 1.2rem; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 1rem 0 0; padding: .5rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.choice { display: flex; gap: .5rem; align-items: baseline; margin: .35rem 0; }
.choice label { display: inline; margin: 0; }
.choice label small { color: var(--muted); font-weight: 400; }
progress { width: 100%; height: 1rem; }
.muted { color: var(--muted); }
nav.sections ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem .5rem; margin: 0 0 1rem; padding: 0; }
nav.sections a { display: inline-block; padding: .25rem .75rem; border: 1px solid var(--line); border-radius: 4px; text-decoration: none; }
nav.sections a[aria-current=page] { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
.wide { overflow-x: auto; }
.wide th, .wide td { white-space: nowrap; }
.wide td.text { white-space: normal; min-width: 12rem; }
form.filters { display: flex; flex-wrap: wrap; align-items: end; gap: .5rem 1rem; margin-bottom: 1rem; }
form.filters label { margin: 0; }
form.filters select { width: auto; }
form.filters button, .downloads a { font: inherit; }
form.filters button { padding: .45rem 1rem; border: 1px solid var(--accent); color: var(--accent-ink); background: var(--accent); border-radius: 4px; cursor: pointer; }
figure.chart { margin: 1rem 0; }
figure.chart svg { max-width: 100%; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.id, .hash { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.hash { word-break: break-all; }
tr.reversed td { color: var(--muted); text-decoration: line-through; }
ul.rules, ul.evidence { margin: 0; padding-left: 1.1rem; }
ul.rules li.failed, strong.short { color: var(--danger); }
button.primary.danger { background: var(--danger); }
tr.reversed td:last-child { text-decoration: none; }
footer.site { color: var(--muted); font-size: .85rem; text-align: center; padding: 1rem; border-top: 1px solid var(--line); }
@media (max-width: 40rem) { main { padding: 1rem .75rem 2rem; } h1 { font-size: 1.3rem; } }
@media print {
  header.site nav, header.site form, .skip, footer.site, button, nav.sections, form.filters, .downloads { display: none !important; }
  .wide { overflow: visible; }
  table { font-size: 10pt; }
  tr { break-inside: avoid; }
  header.site { background: none; color: var(--ink); border-bottom: 2px solid var(--ink); }
  header.site a { color: var(--ink); text-decoration: none; }
  main { max-width: none; padding: 0; }
  a { color: var(--ink); text-decoration: none; }
}
`;
