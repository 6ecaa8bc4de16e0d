import { useMemo, useState } from 'react';
import type { Snapshot } from '../../engine/api';
import { isFile, sysfsFileContent, sysfsTree, type SysfsNode } from './format';

const ROOT_ORDER = ['devices', 'bus', 'class', 'module', 'firmware'];
const OPEN_BY_DEFAULT = new Set(['/sys', '/sys/devices', '/sys/devices/platform', '/sys/bus', '/sys/class']);

function Entry({ node, snapshot, onCat }: { node: SysfsNode; snapshot: Snapshot; onCat(path: string): void }) {
  if (node.target !== null)
    return (
      <li className="bs-sys bs-sys--link">
        {node.name} <span className="bs-muted">-&gt; {node.target}</span>
      </li>
    );
  if (isFile(node)) {
    const known = sysfsFileContent(snapshot, node.path) !== null;
    return (
      <li className="bs-sys bs-sys--file">
        {known ? (
          <button type="button" className="bs-linkbtn" onClick={() => onCat(node.path)} title={`cat ${node.path}`}>
            {node.name}
          </button>
        ) : (
          node.name
        )}
      </li>
    );
  }
  return (
    <li className="bs-sys bs-sys--dir">
      <details open={OPEN_BY_DEFAULT.has(node.path) || node.path.startsWith('/sys/devices/platform/') || node.path.startsWith('/sys/bus/') || node.path.startsWith('/sys/class/')}>
        <summary>{node.name}/</summary>
        {node.children.length > 0 && (
          <ul>
            {node.children.map((c) => (
              <Entry key={c.path} node={c} snapshot={snapshot} onCat={onCat} />
            ))}
          </ul>
        )}
      </details>
    </li>
  );
}

/** A browsable /sys at the current step; device attribute files show their content. */
export function SysfsBrowser({ snapshot }: { snapshot: Snapshot }) {
  const tree = useMemo(() => {
    const root = sysfsTree(snapshot.sysfs);
    // the order a reviewer reads them in: the device tree first, then buses and classes
    const rank = (n: SysfsNode) => {
      const i = ROOT_ORDER.indexOf(n.name);
      return i < 0 ? ROOT_ORDER.length : i;
    };
    return { ...root, children: [...root.children].sort((a, b) => rank(a) - rank(b)) };
  }, [snapshot.sysfs]);
  const [cat, setCat] = useState<string | null>(null);
  const content = cat ? sysfsFileContent(snapshot, cat) : null;
  return (
    <div className="bs-sysfs" data-testid="sysfs">
      <ul className="bs-sys-root">
        <Entry node={tree} snapshot={snapshot} onCat={setCat} />
      </ul>
      <div className="bs-cat" aria-live="polite">
        {cat ? (
          <>
            <div className="bs-mono">$ cat {cat}</div>
            <pre className="bs-pre">{content === null ? '(no longer exists at this step)' : content || '(empty)'}</pre>
          </>
        ) : (
          <p className="bs-muted">Click an attribute file (uevent, modalias, driver_override) to read it.</p>
        )}
      </div>
    </div>
  );
}
