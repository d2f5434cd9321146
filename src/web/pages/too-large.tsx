// A form whose body passes the pages' size limit (a form is a few fields: only a forged or broken
// post gets here).
import { Notice, Page } from '../layout.tsx';

export function RequestTooLargePage() {
  return (
    <Page title="提交的内容过大" english="Request too large">
      <Notice kind="error">提交的内容超过了表单允许的大小，未作任何处理。请返回上一页重新填写。</Notice>
    </Page>
  );
}
