/**
 * The change an unlock makes to a policy, as a person reviews it before
 * confirming: both documents pretty-printed (two-space JSON, so a policy
 * stored on one line still diffs line by line) and a line diff, `-` for a
 * line removed, `+` for a line added, two spaces for a line kept.
 */

/** The policy as a person reads it: indented JSON, or the text as stored if it is not JSON. */
function readablePolicy(policy: string): string[] {
  try {
    return JSON.stringify(JSON.parse(policy) as unknown, null, 2).split('\n');
  } catch {
    return policy.split('\n');
  }
}

/**
 * A line diff by longest common subsequence. Policies are at most 20 KB
 * (S3's limit; SQS's is 8 KB), a few hundred lines: the quadratic table is small.
 */
function lineDiff(before: readonly string[], after: readonly string[]): string[] {
  const rows = before.length;
  const columns = after.length;
  // common[i][j]: length of the longest common subsequence of before[i..] and after[j..].
  const common: number[][] = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0));
  for (let i = rows - 1; i >= 0; i -= 1) {
    for (let j = columns - 1; j >= 0; j -= 1) {
      const row = common[i] as number[];
      row[j] =
        before[i] === after[j]
          ? (common[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(common[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < columns) {
    if (i < rows && j < columns && before[i] === after[j]) {
      lines.push(`  ${before[i]}`);
      i += 1;
      j += 1;
    } else if (i < rows && (j === columns || (common[i + 1]?.[j] ?? 0) >= (common[i]?.[j + 1] ?? 0))) {
      // Removals before additions, as `diff -u` shows a changed line.
      lines.push(`- ${before[i]}`);
      i += 1;
    } else {
      lines.push(`+ ${after[j]}`);
      j += 1;
    }
  }
  return lines;
}

/** current → replacement (null: the policy is deleted; a null current: there is none now). */
export function policyDiff(current: string | null, replacement: string | null): string[] {
  return lineDiff(
    current === null ? [] : readablePolicy(current),
    replacement === null ? [] : readablePolicy(replacement),
  );
}
