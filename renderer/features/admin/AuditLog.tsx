// The audit log (issue #13): whether its hash chain checks out, a filter by account, method and target, and
// the rows newest first, a page at a time: time, account (role), method, target, versions before → after.

import { useEffect, useState } from 'react';
import { useAdminStore, type AuditFilter } from '../../stores/useAdminStore.js';
import { formatWhen } from './accountView.js';
import { filterAudit, refreshAudit } from './adminActions.js';
import { auditedMethods, chainStatus, newestFirstPage, pageCount, versionsText } from './auditView.js';

export function AuditLog(): React.JSX.Element {
  const { audit, verified, auditProblem, auditLoading, filter, page, accounts, setPage } = useAdminStore();
  useEffect(() => void refreshAudit(), []);
  const chain = chainStatus(verified);
  const pages = pageCount(audit.length);
  const shown = newestFirstPage(audit, Math.min(page, pages - 1));
  return (
    <section data-testid="audit">
      <p className={`chain-status ${chain.tone}`} role={chain.tone === 'bad' ? 'alert' : 'status'} data-testid="chain-status">
        {chain.text}
      </p>
      <AuditFilterForm filter={filter} accounts={accounts.map((a) => a.name)} />
      {auditProblem !== null && (
        <p className="problem" role="alert">
          {auditProblem}
        </p>
      )}
      <div className="audit-pager">
        <span className="muted small" data-testid="audit-count">
          {audit.length} row{audit.length === 1 ? '' : 's'}, newest first{auditLoading ? ' · loading…' : ''}
        </span>
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>
          Newer
        </button>
        <span className="small">
          page {Math.min(page, pages - 1) + 1} of {pages}
        </span>
        <button disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
          Older
        </button>
        {/* From the start, not only newer rows: a row edited behind voxlab's back shows as it now reads. */}
        <button onClick={() => void filterAudit(filter)}>Refresh</button>
      </div>
      <table className="audit-table" data-testid="audit-rows">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Account</th>
            <th>Method</th>
            <th>Target</th>
            <th>Versions</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.seq} data-testid="audit-row" data-seq={r.seq} data-method={r.method} data-account={r.account}>
              <td className="nowrap">{formatWhen(r.at).replace(' UTC', '')}</td>
              <td>
                {r.account} <span className="muted">({r.role})</span>
              </td>
              <td className="nowrap">{r.method}</td>
              <td>{r.target ?? ''}</td>
              <td className="nowrap">{versionsText(r)}</td>
            </tr>
          ))}
          {shown.length === 0 && !auditLoading && (
            <tr>
              <td colSpan={5} className="muted">
                No audit rows{filter.account !== '' || filter.method !== '' || filter.target !== '' ? ' match this filter' : ' yet'}.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function AuditFilterForm(props: { filter: AuditFilter; accounts: readonly string[] }): React.JSX.Element {
  const [target, setTarget] = useState(props.filter.target);
  const apply = (change: Partial<AuditFilter>) => void filterAudit({ ...props.filter, ...change });
  return (
    <form
      className="audit-filter"
      data-testid="audit-filter"
      onSubmit={(e) => {
        e.preventDefault();
        apply({ target });
      }}
    >
      <label>
        Account
        <select value={props.filter.account} onChange={(e) => apply({ account: e.target.value })}>
          <option value="">any</option>
          {props.accounts.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        Method
        <select value={props.filter.method} onChange={(e) => apply({ method: e.target.value })}>
          <option value="">any</option>
          {auditedMethods().map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label>
        Target
        <input value={target} onChange={(e) => setTarget(e.target.value)} onBlur={() => target !== props.filter.target && apply({ target })} placeholder="any (Enter)" />
      </label>
    </form>
  );
}
