/**
 * Builds the live tree from the parsed items the way dtc does (livetree.c): a node defined twice
 * is merged (a property defined again replaces the value in place, new children are appended),
 * `&label { … }` / `&{/path} { … }` merge into the node named, `/delete-node/` and
 * `/delete-property/` remove what was defined before them, labels must be unique, and
 * references (`<&label>` phandles and `&label` paths) must name a node of the final tree.
 */
import type { DtsError, Entry, Pos, TopItem, Value } from './ast';

export interface DtProp {
  name: string;
  labels: string[];
  /** null: a property without a value (`dma-coherent;`) */
  value: Value[] | null;
  pos: Pos;
  /** dtc marks deleted properties and nodes and keeps their place: a later definition revives them there */
  deleted?: boolean;
}

export interface DtNode {
  name: string;
  labels: string[];
  props: DtProp[];
  children: DtNode[];
  parent: DtNode | null;
  omitIfNoRef: boolean;
  pos: Pos;
  deleted?: boolean;
}

export interface DtTree {
  root: DtNode;
  memreserve: { address: bigint; size: bigint }[];
  plugin: boolean;
}

export function pathOf(n: DtNode): string {
  if (!n.parent) return '/';
  const p = pathOf(n.parent);
  return p === '/' ? `/${n.name}` : `${p}/${n.name}`;
}

export function* walk(n: DtNode): Generator<DtNode> {
  if (n.deleted) return;
  yield n;
  for (const c of n.children) yield* walk(c);
}

export function findLabel(root: DtNode, label: string): DtNode | null {
  for (const n of walk(root)) if (n.labels.includes(label)) return n;
  return null;
}

export function nodeByPath(root: DtNode, path: string): DtNode | null {
  if (!path.startsWith('/')) return null;
  let cur: DtNode = root;
  for (const part of path.split('/').filter(Boolean)) {
    const next = cur.children.find((c) => c.name === part && !c.deleted);
    if (!next) return null;
    cur = next;
  }
  return cur;
}

/** a reference as written after `&`: a label, or {/path} */
export function resolveRef(root: DtNode, ref: string): DtNode | null {
  if (ref.startsWith('{')) return nodeByPath(root, ref.slice(1, -1));
  return findLabel(root, ref);
}

function newNode(name: string, parent: DtNode | null, pos: Pos): DtNode {
  return { name, labels: [], props: [], children: [], parent, omitIfNoRef: false, pos };
}

function addLabels(into: string[], labels: string[]) {
  for (const l of labels) if (!into.includes(l)) into.push(l);
}

/** dtc delete_node(): the node, its children and properties are marked deleted, its labels dropped */
function deleteNode(n: DtNode) {
  n.deleted = true;
  n.labels = [];
  for (const c of n.children) deleteNode(c);
  for (const p of n.props) {
    p.deleted = true;
    p.labels = [];
  }
}

export function buildTree(items: TopItem[]): { tree: DtTree; errors: DtsError[] } {
  const errors: DtsError[] = [];
  const err = (pos: Pos, message: string) => errors.push({ ...pos, message });
  let root: DtNode | null = null;
  const tree: DtTree = { root: newNode('', null, { file: '', line: 1, col: 1, chain: [] }), memreserve: [], plugin: false };
  let sawHeader = false;

  const merge = (node: DtNode, body: Entry[]) => {
    for (const e of body) {
      switch (e.kind) {
        case 'prop': {
          // a property defined again (or after /delete-property/) takes its old place
          const old = node.props.find((p) => p.name === e.name);
          if (old) {
            old.value = e.value;
            old.pos = e.pos;
            old.deleted = false;
            addLabels(old.labels, e.labels);
          } else node.props.push({ name: e.name, labels: [...e.labels], value: e.value, pos: e.pos });
          break;
        }
        case 'node': {
          let child = node.children.find((c) => c.name === e.name);
          if (!child) {
            child = newNode(e.name, node, e.pos);
            node.children.push(child);
          }
          child.deleted = false; // merge_nodes() revives a deleted node in place
          addLabels(child.labels, e.labels);
          if (e.omitIfNoRef) child.omitIfNoRef = true;
          merge(child, e.body);
          break;
        }
        case 'delnode': {
          const c = node.children.find((x) => x.name === e.name && !x.deleted);
          if (c) deleteNode(c);
          break;
        }
        case 'delprop': {
          const p = node.props.find((x) => x.name === e.name && !x.deleted);
          if (p) {
            p.deleted = true;
            p.labels = [];
          }
          break;
        }
      }
    }
  };

  for (const it of items) {
    if (it.kind === 'dtsv1') {
      sawHeader = true;
      continue;
    }
    if (!sawHeader) {
      err(it.pos, 'the source must start with /dts-v1/;');
      sawHeader = true;
    }
    switch (it.kind) {
      case 'plugin':
        tree.plugin = true;
        break;
      case 'memreserve':
        tree.memreserve.push({ address: it.address, size: it.size });
        break;
      case 'root':
        if (!root) {
          root = tree.root;
          root.pos = it.pos;
        }
        addLabels(root.labels, it.labels);
        merge(root, it.body);
        break;
      case 'refnode': {
        const target = root ? resolveRef(root, it.ref) : null;
        if (!target) {
          if (!tree.plugin) err(it.pos, `${it.ref.startsWith('{') ? 'path' : 'label'} "${it.ref.startsWith('{') ? it.ref.slice(1, -1) : it.ref}" not found: &${it.ref} { … } must follow the node's definition`);
          break;
        }
        addLabels(target.labels, it.labels);
        merge(target, it.body);
        break;
      }
      case 'delnode-ref': {
        const target = root ? resolveRef(root, it.ref) : null;
        if (!target) err(it.pos, `/delete-node/ &${it.ref}: no such node`);
        else if (!target.parent) err(it.pos, '/delete-node/ cannot delete the root node');
        else deleteNode(target);
        break;
      }
      case 'omit-ref': {
        const target = root ? resolveRef(root, it.ref) : null;
        if (!target) err(it.pos, `/omit-if-no-ref/ &${it.ref}: no such node`);
        else target.omitIfNoRef = true;
        break;
      }
    }
  }
  if (!sawHeader) err({ file: '', line: 1, col: 1, chain: [] }, 'the source must start with /dts-v1/;');
  if (!root && !tree.plugin && errors.length === 0) err({ file: '', line: 1, col: 1, chain: [] }, 'no root node "/ { … };"');

  // what is still deleted at the end is gone
  const compact = (n: DtNode) => {
    n.children = n.children.filter((c) => !c.deleted);
    n.props = n.props.filter((p) => !p.deleted);
    n.children.forEach(compact);
  };
  compact(tree.root);

  // duplicate labels (dtc: "Duplicate label 'x' on /a and /b")
  const seen = new Map<string, DtNode>();
  for (const n of walk(tree.root)) {
    for (const l of n.labels) {
      const other = seen.get(l);
      if (other && other !== n) err(n.pos, `duplicate label "${l}" on ${pathOf(other)} and ${pathOf(n)}`);
      else seen.set(l, n);
    }
  }

  // references must name a node of the final tree; /omit-if-no-ref/ nodes nobody references are dropped
  const referenced = new Set<DtNode>();
  for (const n of walk(tree.root)) {
    for (const p of n.props) {
      for (const v of p.value ?? []) {
        const refs = v.kind === 'pathref' ? [{ ref: v.ref, pos: v.pos }] : v.kind === 'cells' ? v.cells.filter((c) => c.kind === 'ref') : [];
        for (const r of refs) {
          const target = resolveRef(tree.root, r.ref);
          if (!target) {
            if (!tree.plugin) err(r.pos, `reference to a non-existent node or label "${r.ref.startsWith('{') ? r.ref.slice(1, -1) : r.ref}"`);
          } else referenced.add(target);
        }
      }
    }
  }
  const prune = (n: DtNode) => {
    n.children = n.children.filter((c) => !c.omitIfNoRef || referenced.has(c));
    n.children.forEach(prune);
  };
  prune(tree.root);
  return { tree, errors };
}

// --- reading properties ---

export function prop(n: DtNode, name: string): DtProp | undefined {
  return n.props.find((p) => p.name === name);
}

/** a string-list property (compatible, status, …), or undefined when absent or not strings */
export function stringList(p: DtProp | undefined, root: DtNode): string[] | undefined {
  if (!p || !p.value) return undefined;
  const out: string[] = [];
  for (const v of p.value) {
    if (v.kind === 'string') out.push(v.value);
    else if (v.kind === 'pathref') {
      const t = resolveRef(root, v.ref);
      out.push(t ? pathOf(t) : '');
    } else return undefined;
  }
  return out;
}

/** the property as 32-bit cells (phandle references read as 0, since phandle numbers are dtc's choice) */
export function u32Cells(p: DtProp | undefined): number[] | undefined {
  if (!p || !p.value) return p ? [] : undefined;
  const out: number[] = [];
  for (const v of p.value) {
    if (v.kind === 'cells' && v.bits === 32) for (const c of v.cells) out.push(c.kind === 'num' ? Number(c.value) : 0);
    else if (v.kind === 'bytes' && v.bytes.length % 4 === 0) {
      for (let i = 0; i < v.bytes.length; i += 4) out.push(((v.bytes[i]! << 24) | (v.bytes[i + 1]! << 16) | (v.bytes[i + 2]! << 8) | v.bytes[i + 3]!) >>> 0);
    } else return undefined;
  }
  return out;
}
