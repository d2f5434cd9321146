// Every page that does not exist, or that the person may not see, answers the same: what is
// outside someone's scope is as absent as what does not exist.
import { Page, type Viewer } from '../layout.tsx';

export function NotFoundPage(props: { viewer?: Viewer | null }) {
  return (
    <Page title="页面不存在" english="Not found" viewer={props.viewer ?? null}>
      <p>您要找的页面不存在，或您无权查看。</p>
      <p>
        <a href={props.viewer ? '/home' : '/'}>返回首页</a>
      </p>
    </Page>
  );
}
