// The study's classes, managed in the app: colour swatch, name (rename), shortcut key and how many scans
// carry each; add a class. Renaming says how many scans it re-labels before it does.

import { useState } from 'react';
import type { ClassInfo } from '../../../core/api/index.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { addClass, updateClass } from './classActions.js';

const KEYS = [null, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

function ClassRow(props: { c: ClassInfo; onProblem: (p: string | null) => void }): React.JSX.Element {
  const { c, onProblem } = props;
  const [name, setName] = useState(c.name);
  const rename = async () => {
    if (name.trim() === c.name) return;
    const scans = c.count === 1 ? '1 scan' : `${c.count} scans`;
    if (c.count > 0 && !window.confirm(`Rename "${c.name}" to "${name.trim()}"? ${scans} get the new name as a new label version (the history keeps the old one).`)) {
      setName(c.name);
      return;
    }
    const problem = await updateClass(c.name, { newName: name });
    if (problem !== null) setName(c.name);
    onProblem(problem);
  };
  return (
    <li className="class-row" data-class={c.name}>
      <input
        type="color"
        value={c.colour}
        aria-label={`Colour of ${c.name}`}
        onChange={(e) => void updateClass(c.name, { colour: e.target.value }).then(onProblem)}
      />
      <input
        value={name}
        aria-label={`Name of ${c.name}`}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => void rename()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') setName(c.name);
        }}
      />
      <select
        value={c.key ?? ''}
        aria-label={`Key of ${c.name}`}
        onChange={(e) => void updateClass(c.name, { key: e.target.value === '' ? null : Number(e.target.value) }).then(onProblem)}
      >
        {KEYS.map((k) => (
          <option key={k ?? 'none'} value={k ?? ''}>
            {k === null ? 'no key' : `key ${k}`}
          </option>
        ))}
      </select>
      <span className="muted small" title="Scans whose current label is this class">
        {c.count}
      </span>
    </li>
  );
}

export function ClassManager(): React.JSX.Element {
  const classes = useStudyStore((s) => s.classInfo);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    const p = await addClass(name);
    setProblem(p);
    if (p === null) setName('');
  };
  return (
    <details className="class-manager" data-testid="class-manager">
      <summary>Classes ({classes.length})</summary>
      <ul className="class-rows">
        {classes.map((c) => (
          <ClassRow key={`${c.name}:${c.position}`} c={c} onProblem={setProblem} />
        ))}
      </ul>
      <form className="row-actions" onSubmit={(e) => void add(e)}>
        <input value={name} placeholder="New class name" aria-label="New class name" onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={name.trim() === ''}>
          Add class
        </button>
      </form>
      {problem !== null && (
        <p className="problem" role="alert" data-testid="class-problem">
          {problem}
        </p>
      )}
    </details>
  );
}
