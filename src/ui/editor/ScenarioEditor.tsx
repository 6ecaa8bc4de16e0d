import { useEffect, useRef } from 'react';
import { EditorView, basicSetup } from 'codemirror';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { useViewStore, useViewStoreApi } from '../store';

/**
 * The scenario editor (CodeMirror 6, JSON). Text lives in the store (and localStorage);
 * the store checks and runs it after a pause. Problems are drawn inline at their JSON path.
 */
export function ScenarioEditor() {
  const store = useViewStoreApi();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editor = useViewStore((s) => s.editor);
  const loadScenarioIntoEditor = useViewStore((s) => s.loadScenarioIntoEditor);

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      doc: store.getState().editor.text,
      parent: host.current,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        // tabindex: axe counts the scroller's content as focusable (it is: contenteditable), no extra tab stop
        EditorView.contentAttributes.of({ 'aria-label': 'Scenario JSON', tabindex: '0' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) store.getState().setEditorText(u.state.doc.toString());
        }),
      ],
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, [store]);

  // Text replaced from outside (Load current design): put it in the editor.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== editor.text) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: editor.text } });
  }, [editor.text]);

  // New problems from the store: draw them inline, at the span of their JSON path.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const diagnostics: Diagnostic[] = editor.problems.map((p) => {
      const from = Math.min(p.span?.from ?? 0, len);
      // a syntax error is a point: mark the character there (or the last one)
      const to = Math.min(Math.max(p.span?.to ?? from, from + 1), len);
      return { from: Math.min(from, Math.max(to - 1, 0)), to, severity: 'error', message: `${p.path}: ${p.message}` };
    });
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [editor.problems]);

  // a problem in the list jumps to its place in the text (the text may be long: it is
  // often scrolled away from the inline mark)
  const reveal = (from: number | undefined, to: number | undefined) => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const a = Math.min(from ?? 0, len);
    const b = Math.min(Math.max(to ?? a, a), len);
    v.dispatch({ selection: { anchor: a, head: b }, effects: EditorView.scrollIntoView(a, { y: 'center' }) });
    v.focus();
  };

  return (
    <section className="bs-editor" aria-label="Scenario editor" data-testid="editor">
      <div className="bs-editor__bar">
        <button type="button" onClick={() => void loadScenarioIntoEditor()} data-testid="editor-load">
          Load current design
        </button>
        <span className={`bs-editor__state bs-editor__state--${editor.state}`} data-testid="editor-state" role="status">
          {editor.state === 'pending' ? 'checking…' : editor.state === 'valid' ? 'valid: running' : editor.state === 'invalid' ? `${editor.problems.length} problem(s): the last valid run stays on screen` : 'the design on screen: edit to change it'}
        </span>
      </div>
      <div className="bs-editor__cm" ref={host} />
      {editor.problems.length > 0 && (
        <ul className="bs-editor__problems" data-testid="editor-problems" aria-label="Problems">
          {editor.problems.map((p, i) => (
            <li key={i}>
              <button type="button" className="bs-linkbtn" onClick={() => reveal(p.span?.from, p.span?.to)} title="Show in the text">
                <code>{p.path}</code>
              </button>
              : {p.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
