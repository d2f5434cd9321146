// A student's whole account and identity, for a query to the bank about a payout: the purpose is
// asked first and kept in the audit trail (without the values); the values are shown once, on the
// page that answers the post — never in an address, never cached (every page is no-store).
import type { UnmaskedStudent } from '../../services/students.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { ProgrammeSectionPage } from '../components.tsx';
import { Field, Notice, type Viewer } from '../layout.tsx';
import type { FormRefusal } from '../submit-once.ts';
import { FormKeys, RefusalNotice } from './finance-kit.tsx';

export interface GrantStudentRef {
  grantId: string;
  student: { id: string; nameMasked: string; identityNumberMasked: string };
}

export function UnmaskPage(props: {
  viewer: Viewer;
  programme: ProgrammeView;
  grant: GrantStudentRef;
  formKey: string;
  purpose?: string;
  refusal?: FormRefusal | null;
}) {
  const { grant } = props;
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={props.programme} section="/payouts" title="查看学生完整账户" english="Unmask for a bank query">
      <RefusalNotice refusal={props.refusal} />
      <p>
        学生：{grant.student.nameMasked}（<span class="id">{grant.student.identityNumberMasked}</span>）
      </p>
      <form method="post" action={`/programmes/${props.programme.id}/grants/${grant.grantId}/unmask`} class="card">
        <FormKeys viewer={props.viewer} formKey={props.formKey} />
        <p class="muted">完整的姓名、身份证号和银行账号只显示一次，并记入审计日志（记录查看人、时间和用途，不记录号码本身）。</p>
        <Field
          name="purpose"
          label="用途（至少 5 个字，不要填写证件号或账号）"
          english="Purpose"
          value={props.purpose}
          error={props.refusal?.errors?.purpose}
        />
        <button type="submit" class="primary">
          查看
        </button>
      </form>
    </ProgrammeSectionPage>
  );
}

export function UnmaskedPage(props: { viewer: Viewer; programme: ProgrammeView; grantId: string; unmasked: UnmaskedStudent }) {
  const u = props.unmasked;
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={props.programme} section="/payouts" title="学生完整账户" english="Unmasked (shown once)">
      <Notice kind="info">以下信息只显示这一次，已记入审计日志。用途：{u.purpose}</Notice>
      <dl class="facts">
        <dt>姓名</dt>
        <dd>{u.name}</dd>
        <dt>身份证号</dt>
        <dd class="id">{u.identityNumber}</dd>
        <dt>开户行</dt>
        <dd>{u.bankAccount.bankName}</dd>
        <dt>银行账号</dt>
        <dd class="id">{u.bankAccount.accountNumber}</dd>
        <dt>户名</dt>
        <dd>{u.bankAccount.holderName}</dd>
        {u.phone ? (
          <>
            <dt>联系电话</dt>
            <dd class="id">{u.phone}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <a href={`/programmes/${props.programme.id}/grants/${props.grantId}`}>返回资助详情</a>
      </p>
    </ProgrammeSectionPage>
  );
}
