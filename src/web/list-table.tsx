// A list page's table: scrolling inside itself on a phone (and reachable by keyboard to scroll),
// its caption and column headers, the words that stand in for it when it is empty, and the link to
// the next page.
import type { Child } from 'hono/jsx';
import { NextPage } from './components.tsx';

export function ListTable(props: {
  caption: string;
  headers: readonly string[];
  empty: string;
  rows: number;
  next: { path: string; cursor: string | null };
  children: Child;
}) {
  if (props.rows === 0) return <p>{props.empty}</p>;
  return (
    <>
      <section class="wide" tabindex={0} aria-label={`${props.caption}列表，可横向滚动`}>
        <table>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {props.headers.map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>{props.children}</tbody>
        </table>
      </section>
      <NextPage path={props.next.path} query={{}} cursor={props.next.cursor} />
    </>
  );
}
