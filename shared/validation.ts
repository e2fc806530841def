import type { z } from 'zod';
import { fieldLabel } from './labels';

/** One problem with an input: the sentence a person reads, and the dotted path of the field it belongs to. */
export interface Problem {
  field?: string;
  message: string;
}

/**
 * A schema's issues as sentences naming their field ("Asset tag is required.", "Point 2 name is
 * required."): main words a refused input this way, and the renderer's forms word their own
 * checks the same way before anything is sent, so a person reads the same sentence either way.
 */
export function issueProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { message: `Unexpected field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.`, ...(field ? { field } : {}) };
    }
    // A check that words its own whole sentence (it knows better names than the path: a point's label).
    if (issue.code === 'custom' && (issue.params as { sentence?: boolean } | undefined)?.sentence) return field ? { field, message: issue.message } : { message: issue.message };
    const label = field ? fieldLabel(field) : 'The input';
    const msg = issue.message.replace(/\.$/, '');
    const sentence = /^[a-z]/.test(msg) ? `${label} ${msg}.` : `${label}: ${msg}.`;
    return field ? { field, message: sentence } : { message: sentence };
  });
}
