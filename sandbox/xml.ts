/** Minimal XML writing for query-protocol and REST-XML answers. */

export const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** A value to write: text, a date (ISO 8601), a number/boolean, nested elements or nothing (skipped). */
export type XmlValue = string | number | boolean | Date | XmlNode[] | undefined;
export type XmlNode = [name: string, value: XmlValue];

const isoDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function toXml(nodes: XmlNode[]): string {
  let out = '';
  for (const [name, value] of nodes) {
    if (value === undefined) continue;
    let inner: string;
    if (Array.isArray(value)) inner = toXml(value);
    else if (value instanceof Date) inner = isoDate(value);
    else inner = escapeXml(String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}

/** A list in the query protocol's default (non-flattened) shape: <member>…</member>. */
export const members = (items: (XmlNode[] | string)[]): XmlNode[] => items.map((item) => ['member', item]);

/** A map in the query protocol's shape: <entry><key/><value/></entry>. */
export const entries = (map: Record<string, string | number>): XmlNode[] =>
  Object.entries(map).map(([key, value]) => [
    'entry',
    [
      ['key', key],
      ['value', value],
    ],
  ]);

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
