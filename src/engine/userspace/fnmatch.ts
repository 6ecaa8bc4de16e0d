/**
 * fnmatch(3) without flags ('*', '?', '[...]'): how libkmod matches a MODALIAS against the
 * patterns in modules.alias. No imports: the UI uses it too, to draw MODALIAS → alias edges.
 */
export function fnmatch(pattern: string, s: string): boolean {
  if (!hasWildcard(pattern)) return pattern === s;
  return fnmatchRegExp(pattern).test(s);
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

export function fnmatchRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}
