// The agreement figures of a reader study (issue #13): Cohen's kappa with its confidence interval (two
// readers) or Fleiss' kappa (more), percent agreement, Krippendorff's alpha, per class, and the readers'
// confusion table. Undefined figures say why.

import type { AgreementView } from './agreementView.js';
import { fixed2, kappaText, percentText } from './agreementView.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function AgreementFigures(props: { view: AgreementView }): React.JSX.Element {
  const v = props.view;
  const pair = v.pairs.length === 1 ? v.pairs[0]! : null;
  return (
    <div className="agreement" data-testid="agreement">
      <p className="muted small" data-testid="agreement-counts">
        {plural(v.scans, 'scan')}, {plural(v.reads, 'read')} by {plural(v.readers.length, 'reader')} ({v.readers.join(', ') || 'none yet'});{' '}
        {v.scansReadTwice} read at least twice
      </p>
      <dl className="figures">
        {v.cohen !== null ? (
          <>
            <dt title="Cohen 1960; interval: Fleiss, Cohen & Everitt 1969 (large-sample, rough below a few dozen scans)">Cohen's kappa</dt>
            <dd data-testid="kappa" data-kappa={v.cohen.kappa ?? ''}>
              {kappaText(v.cohen)}
              <span className="muted small"> over {plural(v.cohen.scans, 'scan')} read by both</span>
            </dd>
          </>
        ) : null}
        <dt title="Fleiss 1971: any number of readers, the same number of reads on each scan used">Fleiss' kappa</dt>
        <dd data-testid={v.cohen === null ? 'kappa' : 'fleiss-kappa'} data-kappa={v.fleiss.kappa ?? ''}>
          {kappaText(v.fleiss)}
        </dd>
        <dt title="Mean fraction of agreeing pairs of reads; for two readers, the fraction of scans they agree on">Percent agreement</dt>
        <dd data-testid="percent-agreement">
          {v.percent === null ? `undefined (${v.percentReason ?? 'not computed'})` : percentText(v.percent)}
          {v.unanimous !== null && <span className="muted small"> · {percentText(v.unanimous)} unanimous</span>}
        </dd>
        <dt title="Krippendorff's alpha, nominal: allows missing reads">Krippendorff's alpha</dt>
        <dd>{v.krippendorff.alpha === null ? `undefined (${v.krippendorff.reason ?? 'not computed'})` : fixed2(v.krippendorff.alpha)}</dd>
      </dl>
      <table className="per-class" data-testid="per-class">
        <thead>
          <tr>
            <th>Class</th>
            <th>Reads</th>
            <th title="Of the pairs of reads involving this class, the fraction where both are this class">Specific</th>
            <th>{v.cohen !== null ? "Cohen's κ" : "Fleiss' κ"}</th>
          </tr>
        </thead>
        <tbody>
          {v.perClass.map((c) => (
            <tr key={c.className}>
              <td>{c.className}</td>
              <td>{c.reads}</td>
              <td>{percentText(c.specificAgreement)}</td>
              <td title={c.kappa.reason ?? undefined}>{c.kappa.kappa === null ? '—' : kappaText(c.kappa)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pair !== null && v.classes.length > 0 && (
        <table className="confusion" data-testid="confusion" aria-label={`Confusion: rows ${pair.readers[0]}, columns ${pair.readers[1]}`}>
          <thead>
            <tr>
              <th colSpan={v.classes.length + 1} className="muted small confusion-title">
                Confusion: rows {pair.readers[0]}, columns {pair.readers[1]}
              </th>
            </tr>
            <tr>
              <th />
              {v.classes.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {pair.confusion.map((row, i) => (
              <tr key={v.classes[i]}>
                <th>{v.classes[i]}</th>
                {row.map((n, j) => (
                  <td key={j} className={i === j ? 'diagonal' : n > 0 ? 'off' : ''}>
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
