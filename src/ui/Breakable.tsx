import { Fragment } from 'react';
import { breakPieces } from './graph/toFlow';

/**
 * A name drawn so it wraps only at its own boundaries (after . - : _ / = , or a space):
 * <wbr> between the pieces, no characters added (copying the text gives the name as is).
 * Use with `overflow-wrap: normal; word-break: normal` (styles.css .bs-name).
 */
export function Breakable({ text }: { text: string }) {
  const pieces = breakPieces(text);
  return (
    <>
      {pieces.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </>
  );
}
