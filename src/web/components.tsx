// Small pieces the report pages share: a programme's own navigation, a money cell, a link to the
// next page of a list, a chart in its figure, and a row of download links.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { formatYuan } from '../domain/money.ts';
import { Page, type Viewer } from './layout.tsx';

export interface ProgrammeRef {
  id: string;
  name: string;
}

const PROGRAMME_SECTIONS = [
  ['', '概览'],
  ['/funding', '资金到账'],
  ['/grants', '资助名单'],
  ['/payouts', '发放记录'],
  ['/payout-batches', '发放批次'],
  ['/bank-results', '银行回单'],
  ['/ledger', '账本'],
] as const;

/** The programme's sections; the current one is marked for assistive technology. */
export function ProgrammeNav(props: { programme: ProgrammeRef; current: (typeof PROGRAMME_SECTIONS)[number][0] }) {
  return (
    <nav class="sections" aria-label={`${props.programme.name}：栏目`}>
      <ul>
        {PROGRAMME_SECTIONS.map(([path, label]) => (
          <li>
            <a href={`/programmes/${props.programme.id}${path}`} aria-current={path === props.current ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function MoneyCell(props: { amount: string }) {
  return <td class="money">{formatYuan(props.amount)}</td>;
}

/** The link to the next page of a list, keeping the filters; nothing when this is the last page. */
export function NextPage(props: { path: string; query: Record<string, string | undefined>; cursor: string | null }) {
  if (!props.cursor) return <p class="muted">已是最后一页。</p>;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(props.query)) if (value) params.set(key, value);
  params.set('cursor', props.cursor);
  return (
    <p>
      <a href={`${props.path}?${params}`} rel="next">
        下一页 →
      </a>
    </p>
  );
}

/** A server-drawn chart (src/web/charts.ts) with its caption; the table after it holds the same figures. */
export function Chart(props: { svg: string; caption: string }) {
  return (
    <figure class="chart">
      <div role="img" aria-label={`${props.caption}（图中数字见下表）`}>
        {raw(props.svg)}
      </div>
      <figcaption>{props.caption}</figcaption>
    </figure>
  );
}

export function Downloads(props: { links: { href: string; label: string }[]; children?: Child }) {
  return (
    <p class="downloads">
      下载：
      {props.links.map((l) => (
        <>
          <a href={l.href} download>
            {l.label}
          </a>{' '}
        </>
      ))}
      {props.children}
    </p>
  );
}

/** Links that narrow a list to one value (a status, a kind), the current one marked; "全部" first. */
export function FilterLinks<V extends string>(props: {
  label: string;
  path: string;
  name: string;
  current: V | undefined;
  choices: readonly { value: V; text: string }[];
}) {
  return (
    <nav aria-label={props.label} class="sections">
      <ul>
        <li>
          <a href={props.path} aria-current={props.current === undefined ? 'page' : undefined}>
            全部
          </a>
        </li>
        {props.choices.map((c) => (
          <li>
            <a href={`${props.path}?${props.name}=${c.value}`} aria-current={props.current === c.value ? 'page' : undefined}>
              {c.text}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * A page of one programme's section: the title says programme and section, the programme's own
 * navigation comes first, and a list that came out empty says so in words.
 */
export function ProgrammeSectionPage(props: {
  viewer: Viewer;
  programme: ProgrammeRef;
  section: (typeof PROGRAMME_SECTIONS)[number][0];
  title: string;
  english: string;
  /** Filters, downloads: what stands above the list. */
  above?: Child;
  /** Set when the page is a list: its emptiness is then said instead of an empty table. */
  empty?: { is: boolean; text: string };
  children: Child;
}) {
  return (
    <Page title={`${props.programme.name}：${props.title}`} english={props.english} viewer={props.viewer}>
      <ProgrammeNav programme={props.programme} current={props.section} />
      {props.above}
      {props.empty?.is ? <p>{props.empty.text}</p> : props.children}
    </Page>
  );
}
